from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from cxloop.domain.definitions import load_definition
from cxloop.errors import ConfigError


class Goal(BaseModel):
    kpi: str
    target: float


class Goals(BaseModel):
    goals: list[Goal]


def test_errors_name_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "goals.yaml"
    path.write_text("goals:\n  - kpi: nps\n    target: 40\n  - kpi: csat\n    target: high\n")
    with pytest.raises(ConfigError) as info:
        load_definition(path, Goals)
    assert str(info.value).startswith(f"{path}:5: goals.1.target:")


def test_yaml_syntax_errors_have_a_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("goals:\n  - kpi: [nps\n")
    with pytest.raises(ConfigError, match=r"bad.yaml:\d+: invalid YAML"):
        load_definition(path, Goals)


def test_missing_file_and_wrong_top_level(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_definition(tmp_path / "none.yaml", Goals)
    path = tmp_path / "list.yaml"
    path.write_text("- 1\n- 2\n")
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_definition(path, Goals)
