"""``cxloop demo`` analyses the comments it loads, once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cxloop.config import Settings
from cxloop.demo import loading
from cxloop.project import open_project_warehouse
from cxloop.understand.text.analyser import MissingTextPartError
from understand.text.pipeline_doubles import rule_analyser


def _rules(settings: Settings, project_dir: Path | None = None, **kw: Any):
    return rule_analyser(batch_size=500)


@pytest.mark.slow
def test_the_demo_analyses_every_comment_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loading, "default_analyser", _rules)
    settings = Settings.load(project=tmp_path / "demo")
    progress: list[tuple[int, int]] = []
    # identities, CLV, churn, segments and cases play no part in the text step: not run
    result = loading.run_demo(
        settings, customers=300, seed=3, on_text_progress=lambda *a: progress.append(a),
        resolve_identities=False,
    )  # fmt: skip
    assert result.text is not None and result.text_skipped is None
    with open_project_warehouse(settings) as wh:
        feedback = wh.table("feedback")
        with_text = feedback.filter(feedback.text.notnull() & (feedback.text.strip() != ""))
        n_text = int(with_text.count().execute())
        stored = wh.table("feedback_insights")
        n_insights = int(stored.count().execute())
        orphans = stored.anti_join(with_text, "feedback_id").count().execute()
    assert n_text > 50 and result.text.analysed == n_text == n_insights
    assert orphans == 0
    assert result.tables["feedback_insights"] == n_text
    assert progress[-1] == (n_text, n_text)
    assert set(result.text.languages) >= {"en", "es", "zh"}

    again = loading.run_demo(settings, customers=300, seed=3, resolve_identities=False)
    assert again.text is not None and again.text.analysed == 0


def test_without_the_shipped_models_the_demo_says_what_it_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(settings: Settings, project_dir: Path | None = None, **kw: Any):
        raise MissingTextPartError("a shipped text analysis part is missing: No module 'x'")

    monkeypatch.setattr(loading, "default_analyser", missing)
    settings = Settings.load(project=tmp_path / "demo")
    result = loading.run_demo(settings, customers=60, seed=1, resolve_identities=False)
    assert result.text is None and result.text_skipped is not None
    assert "No module 'x'" in result.text_skipped
    assert result.tables["feedback_insights"] == 0
    skipped = loading.run_demo(
        settings, customers=60, seed=1, analyse_text=False, resolve_identities=False
    )
    assert skipped.text is None and skipped.text_skipped is None
