"""Sample rows in Spanish, Chinese and English, written as CSV or JSON Lines and read back.

Shared by the tests of ``cxloop.collect.file_formats`` and the readers it dispatches to.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from cxloop.collect.file_formats import SourceFile

SPANISH_ROWS = [
    ["1", "José Núñez", "Calle Mayor 5, Ávila", "Muy buen servicio, gracias"],
    ["2", "María Peña", "Plaza de España 3, Cádiz", "El pedido llegó tarde; reembolso pendiente"],
    ["3", "Ángel Güemes", "Avenida de la Constitución 12, Málaga", "¿Dónde está mi factura?"],
    ["4", "Inés Muñoz", "Calle Ibáñez 7, A Coruña", "Atención rápida y amable"],
]
CHINESE_ROWS = [
    ["1", "张伟", "北京市朝阳区建国路88号", "服务很好，谢谢！"],
    ["2", "王芳", "上海市浦东新区世纪大道100号", "物流太慢了，希望改进。"],
    ["3", "李娜", "广州市天河区体育西路1号", "客服态度不错，但是价格有点贵"],
    ["4", "刘洋", "深圳市南山区科技园", "产品质量很好，会再次购买"],
]
ENGLISH_ROWS = [
    ["1", "Ann Smith", "12 High St, Leeds", 'Said "great", then left'],
    ["2", "Bob Brown", "", "N/A"],
]
HEADER = ["id", "name", "address", "comment"]


def write_csv(
    path: Path,
    rows: list[list[str]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    header: list[str] = HEADER,
) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_jsonl(path: Path, records: list[Any], *, tail: str = "") -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records) + tail)
    return path


def read_rows(source: SourceFile, batch_rows: int = 1_000_000) -> list[dict[str, Any]]:
    return [row for batch, _ in source.iter_batches(batch_rows) for row in batch.to_pylist()]


def as_dicts(rows: list[list[str]], header: list[str] = HEADER) -> list[dict[str, Any]]:
    return [
        {name: (value if value != "" else None) for name, value in zip(header, row, strict=True)}
        for row in rows
    ]
