"""Writing the demo's files byte for byte the same on every run: CSV (any delimiter and
encoding), JSON Lines, Parquet, and the mapping YAML of sources with their own column names.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def write_csv(frame: pd.DataFrame, path: Path, *, sep: str = ",", encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, sep=sep, encoding=encoding, lineterminator="\n")
    return path


_encode_text = json.encoder.encode_basestring  # the C encoder, without ASCII escaping


def _json_values(column: pd.Series) -> list[str]:
    """Each value of a column as JSON text (null for missing)."""
    if pd.api.types.is_bool_dtype(column.dtype) and not column.isna().any():
        return ["true" if v else "false" for v in column.tolist()]
    if pd.api.types.is_integer_dtype(column.dtype) and not column.isna().any():
        return [str(v) for v in column.tolist()]
    out = []
    for value in column.tolist():
        if value is None or value is pd.NA:
            out.append("null")
        elif isinstance(value, str):
            out.append(_encode_text(value))
        elif isinstance(value, bool):
            out.append("true" if value else "false")
        elif isinstance(value, float):
            out.append("null" if math.isnan(value) else repr(value))
        else:
            out.append(json.dumps(value, ensure_ascii=False))
    return out


def write_jsonl(frame: pd.DataFrame, path: Path) -> Path:
    """JSON Lines, one object per row, keys in column order, UTF-8 without escapes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = [_encode_text(str(c)) for c in frame.columns]
    values = [_json_values(frame[c]) for c in frame.columns]
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for row in zip(*values, strict=True):
            out.write("{" + ",".join(f"{k}:{v}" for k, v in zip(keys, row, strict=True)) + "}\n")
    return path


def write_parquet(frame: pd.DataFrame, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata(None)
    pq.write_table(table, path, compression="zstd")
    return path


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_mapping(
    path: Path,
    *,
    kind: str,
    source: str,
    id_column: str,
    columns: dict[str, str | dict[str, Any]],
    comment: str,
) -> Path:
    """A mapping YAML in the format :mod:`cxloop.collect.mapping` reads."""
    lines = [f"# {line}" for line in comment.strip().splitlines()]
    lines += [f"kind: {kind}", f"source: {source}", f"id_column: {_yaml_scalar(id_column)}"]
    lines.append("columns:")
    for name, spec in columns.items():
        if isinstance(spec, str):
            lines.append(f"  {name}: {_yaml_scalar(spec)}")
        else:
            inner = ", ".join(f"{k}: {_yaml_scalar(v)}" for k, v in spec.items())
            lines.append(f"  {name}: {{{inner}}}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
