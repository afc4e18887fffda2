"""Reading the files of ``cxloop clv fit``: transactions, or a ready summary.

Both are delimited text with a header line (comma, tab, semicolon, pipe or whitespace, found
from the header) or Parquet. Every problem is one line naming the file, the row (the line of a
text file; the row number, from 1, of a Parquet file) and the column.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from cxloop.errors import DataError, UsageError

#: Fader & Hardie's names for the summary columns, accepted as aliases
SUMMARY_ALIASES = {"x": "frequency", "t_x": "recency", "zbar": "monetary_value"}


def read_table(path: Path) -> tuple[pd.DataFrame, int]:
    """Every cell as text; also the line (or row) number of the first data row."""
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            frame = pd.read_parquet(path)
            return frame.astype(object).where(frame.notna(), None), 1
        with path.open(encoding="utf-8-sig") as handle:
            header = handle.readline()
        separator = _separator(header)
        frame = pd.read_csv(
            path, sep=separator, dtype=str, keep_default_na=False, na_values=[""],
            encoding="utf-8-sig", engine="c" if separator != r"\s+" else "python",
        )  # fmt: skip
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        message = " ".join(str(exc).split())[:200]
        raise DataError(f"{path}: cannot be read ({message})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame, 2


def _separator(header: str) -> str:
    for candidate in (",", "\t", ";", "|"):
        if candidate in header:
            return candidate
    return r"\s+"


def require_columns(frame: pd.DataFrame, path: Path, columns: dict[str, str | None]) -> None:
    """Raise unless every named column is in ``frame`` (``columns``: option → column)."""
    for option, column in columns.items():
        if column is not None and column not in frame.columns:
            raise DataError(
                f"{path}: no column {column!r} (given by {option}); "
                f"the columns are {', '.join(map(repr, frame.columns))}"
            )


def parse_dates(
    values: pd.Series, path: Path, column: str, first_row: int, date_format: str | None
) -> pd.Series:
    """Dates or timestamps of ``column``; the first bad cell is an error naming its row."""
    text = values.astype("string").str.strip()
    missing = text.isna() | (text == "")
    if missing.any():
        row = int(np.flatnonzero(missing.to_numpy())[0]) + first_row
        raise DataError(f"{path}: row {row}, column {column!r}: no date")
    parsed = pd.to_datetime(
        text, format=date_format if date_format else "ISO8601", errors="coerce", utc=True
    )
    bad = parsed.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        expected = date_format or "ISO 8601, e.g. 2024-03-31"
        raise DataError(
            f"{path}: row {i + first_row}, column {column!r}: {text.iloc[i]!r} is not a date "
            f"({expected})"
        )
    return parsed


def parse_numbers(
    values: pd.Series, path: Path, column: str, first_row: int, *, minimum: float | None = None
) -> pd.Series:
    """Numbers of ``column``; an empty or non-numeric cell is an error naming its row."""
    numbers = pd.to_numeric(values.astype("string").str.strip(), errors="coerce").astype(float)
    bad = ~np.isfinite(numbers.to_numpy())
    if minimum is not None:
        bad |= numbers.to_numpy() < minimum
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        expected = "a number" if minimum is None else f"a number ≥ {minimum:g}"
        raise DataError(
            f"{path}: row {i + first_row}, column {column!r}: {values.iloc[i]!r} is not {expected}"
        )
    return numbers


def parse_day(value: str, option: str) -> date:
    """A ``YYYY-MM-DD`` option value."""
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise UsageError(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None


def read_transactions(
    path: Path,
    *,
    customer_col: str,
    date_col: str,
    amount_col: str | None = None,
    date_format: str | None = None,
) -> pd.DataFrame:
    """Columns ``customer``, ``ts`` (UTC) and, with ``amount_col``, ``amount``."""
    frame, first_row = read_table(path)
    require_columns(
        frame, path,
        {"--customer-col": customer_col, "--date-col": date_col, "--amount-col": amount_col},
    )  # fmt: skip
    if frame.empty:
        raise DataError(f"{path}: has no transactions")
    customers = frame[customer_col].astype("string").str.strip()
    missing = (customers.isna() | (customers == "")).to_numpy()
    if missing.any():
        row = int(np.flatnonzero(missing)[0]) + first_row
        raise DataError(f"{path}: row {row}, column {customer_col!r}: no customer id")
    out = pd.DataFrame(
        {
            "customer": customers.to_numpy(dtype=object),
            "ts": parse_dates(frame[date_col], path, date_col, first_row, date_format),
        }
    )
    if amount_col is not None:
        out["amount"] = parse_numbers(frame[amount_col], path, amount_col, first_row).to_numpy()
    return out


def read_summary(path: Path) -> pd.DataFrame:
    """Columns ``frequency``, ``recency``, ``T`` and, when the file has it,
    ``monetary_value`` (``x``, ``t_x`` and ``zbar`` are accepted for them)."""
    frame, first_row = read_table(path)
    frame = frame.rename(
        columns={k: v for k, v in SUMMARY_ALIASES.items() if v not in frame.columns}
    )
    for column in ("frequency", "recency", "T"):
        if column not in frame.columns:
            raise DataError(
                f"{path}: no column {column!r}; a summary has frequency, recency, T and "
                f"optionally monetary_value (the columns are {', '.join(map(repr, frame.columns))})"
            )
    if frame.empty:
        raise DataError(f"{path}: has no customers")
    out = pd.DataFrame(index=frame.index)
    for column in ("frequency", "recency", "T", "monetary_value"):
        if column in frame.columns:
            out[column] = parse_numbers(frame[column], path, column, first_row, minimum=0)
    x = out["frequency"].to_numpy()
    checks = [
        (x != np.round(x), "frequency", "is not a whole number"),
        (out["T"].to_numpy() < out["recency"].to_numpy(), "T", "is less than recency"),
        ((x == 0) & (out["recency"].to_numpy() != 0), "recency", "must be 0 when frequency is 0"),
    ]
    if "monetary_value" in out:
        money = out["monetary_value"].to_numpy()
        checks.append(((x > 0) & (money <= 0), "monetary_value", "must be > 0 for a repeat buyer"))
    for bad, column, problem in checks:
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise DataError(f"{path}: row {i + first_row}, column {column!r}: {problem}")
    return out
