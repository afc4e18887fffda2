"""``cxloop bench``'s results file: written stage by stage, read back to resume a stopped run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxloop.bench.results import ResultsLog, results_path
from cxloop.errors import UsageError


def test_results_path_is_the_jsonl_beside_out() -> None:
    assert results_path(Path("runs/full")) == Path("runs/full.jsonl")
    assert results_path(Path("runs/full.jsonl")) == Path("runs/full.jsonl")


def test_each_figure_is_on_disk_as_soon_as_appended(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    log = ResultsLog.start(path, {"customers": 500, "data": "/d"})
    log.append({"stage": "import", "units": 10})
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [
        {"run": {"customers": 500, "data": "/d"}},
        {"figure": {"stage": "import", "units": 10}},
    ]


def test_measured_keeps_the_latest_figure_without_an_error(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    log = ResultsLog.start(path, {"customers": 500, "data": "/d"})
    log.append({"stage": "import", "units": 10})
    log.append({"stage": "text", "error": "did not finish within 60 s"})
    log.append({"stage": "kpi", "units": 1})
    log.append({"stage": "kpi", "units": 2})
    again = ResultsLog.read(path)
    assert again.header["customers"] == 500
    assert set(again.measured()) == {"import", "kpi"}  # the failed stage runs again
    assert again.measured()["kpi"]["units"] == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such results file"),
        ('{"figure": {}}\n', "not a cxloop bench results file"),
        ('{"run": {}}\nnot json\n', "line 2 is not JSON"),
    ],
)
def test_a_bad_results_file_names_itself(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "r.jsonl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match=f"--resume {path}: {message}"):
        ResultsLog.read(path)
