"""Reading the data of ``cxloop valuechain fit``: one row per case, a column per indicator."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cxloop.errors import DataError

READERS = {".csv": ",", ".tsv": "\t", ".txt": None}


def read_case_file(path: str | Path) -> pd.DataFrame:
    """A CSV, TSV or Parquet file as a data frame (``DataError`` naming the file otherwise)."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pd.read_parquet(path)
        if suffix not in READERS:
            raise DataError(f"{path}: unknown file type {suffix!r}; use .csv, .tsv or .parquet")
        separator = READERS[suffix]
        if separator is None:
            return pd.read_csv(path, sep=r"\s+")
        return pd.read_csv(path, sep=separator)
    except DataError:
        raise
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read: {exc}") from None
