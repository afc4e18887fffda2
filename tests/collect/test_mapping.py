from __future__ import annotations

from pathlib import Path

import pytest

from cxloop.collect.mapping import load_mapping
from cxloop.errors import ConfigError
from cxloop.project import starter_files


def test_the_starter_mapping_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(starter_files()["mappings/example_customers.yaml"], encoding="utf-8")
    mapping = load_mapping(path)
    assert mapping.kind == "customers" and mapping.id_column == "Contact ID"
    assert mapping.columns["created_at"].timezone == "Europe/Madrid"
    assert mapping.columns["language"].value == "es"
    assert mapping.columns["first_name"].column == "Nombre"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "columns:\n  ts: {column: a, timezone: Mars/Base}\n",
            r":2: columns.ts.timezone: .*unknown time zone",
        ),
        ("columns:\n  ts: {column: a, value: b}\n", r":2: columns.ts: .*exactly one"),
        ("columns:\n  amount: {column: a, decimal: ';'}\n", r":2: columns.amount.decimal"),
        ("colums: {}\n", r":1: colums: Extra inputs"),
        ("source: 'has space'\n", r":1: source:"),
    ],
)
def test_mapping_errors_point_at_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_mapping(path)
