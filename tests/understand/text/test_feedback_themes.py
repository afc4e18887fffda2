"""Discovery over the feedback no theme covers, and promotion of a find into the taxonomy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cxloop.errors import NotFoundError
from cxloop.storage import Warehouse
from cxloop.understand.text.analyse_feedback import analyse_feedback
from cxloop.understand.text.feedback_themes import (
    discover_feedback_themes,
    promote_feedback_theme,
)
from understand.text.pipeline_doubles import add_feedback, rule_analyser

pytest.importorskip("cxloop.understand.text.discovery", reason="theme discovery not merged yet")
taxonomies = pytest.importorskip("cxloop.understand.text.taxonomy")

WRAPPING = [
    "The gift wrapping paper was torn",
    "Gift wrapping ribbon missing again",
    "Please offer nicer gift wrapping paper",
    "The gift wrapping looked cheap, ribbon was loose",
    "No gift wrapping option for my order",
    "Gift wrapping paper ripped and ribbon gone",
    "Lovely gift wrapping, ribbon and paper perfect",
    "The ribbon on the gift wrapping came off",
]


@pytest.fixture
def analysed(warehouse: Warehouse) -> Warehouse:
    texts: dict[str, str | None] = {f"w{i:02d}": t for i, t in enumerate(WRAPPING * 2)}
    texts |= {f"d{i:02d}": f"Delivery was late, order {i}" for i in range(10)}
    add_feedback(warehouse, texts)
    analyse_feedback(warehouse, rule_analyser())
    return warehouse


def test_discovery_finds_a_theme_among_uncovered_feedback(
    analysed: Warehouse, tmp_path: Path
) -> None:
    found = discover_feedback_themes(analysed, tmp_path, min_size=3)
    assert found and {t.language for t in found} == {"en"}
    wrapping = [
        t for t in found if {"wrapping", "ribbon", "paper"} & set(" ".join(t.terms).split())
    ]
    assert sum(t.size for t in wrapping) >= 8
    assert all("elivery" not in example for t in found for example in t.examples)


def test_a_promoted_theme_lands_in_the_project_taxonomy(
    analysed: Warehouse, tmp_path: Path
) -> None:
    found = discover_feedback_themes(analysed, tmp_path, min_size=3)
    promoted = promote_feedback_theme(
        analysed, tmp_path, found[0].id, theme_id="gift_wrapping", label="Gift wrapping",
        keywords=["gift wrapping", "ribbon"], min_size=3,
    )  # fmt: skip
    assert promoted.path == tmp_path / "themes" / "en.yaml" and promoted.path.is_file()
    taxonomy = taxonomies.load_taxonomy(tmp_path)
    assert "gift_wrapping" in taxonomy.theme_ids()
    assert taxonomy.label("gift_wrapping", "en") == "Gift wrapping"
    with pytest.raises(NotFoundError, match="no discovered theme 'nope'"):
        promote_feedback_theme(analysed, tmp_path, "nope")


def test_only_feedback_without_a_theme_is_looked_at(analysed: Warehouse) -> None:
    rows = analysed.to_pyarrow(analysed.table("feedback_insights")).to_pylist()
    covered = [r for r in rows if json.loads(r["themes"])]
    assert len(covered) == 10
