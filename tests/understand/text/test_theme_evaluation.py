"""Per-theme precision, recall and F1 over multi-label theme predictions."""

from __future__ import annotations

import pytest

from cxloop.understand.text.theme_evaluation import score_themes


def test_scores_per_theme_micro_and_macro() -> None:
    truth = [{"a"}, {"a", "b"}, {"b"}, set()]
    predicted = [("a",), ("a",), ("a", "b"), ("b", "c")]
    report = score_themes(truth, predicted)
    assert [s.theme for s in report.themes] == ["a", "b"]  # "c" is not in the truth
    a, b = report.score("a"), report.score("b")
    assert (a.support, a.predicted, a.true_positives) == (2, 3, 2)
    assert a.precision == pytest.approx(2 / 3) and a.recall == 1.0
    assert a.f1 == pytest.approx(0.8)
    assert (b.support, b.predicted, b.true_positives) == (2, 2, 1)
    assert b.f1 == pytest.approx(0.5)
    assert report.macro_f1 == pytest.approx(0.65)
    assert (report.micro.support, report.micro.predicted, report.micro.true_positives) == (4, 5, 3)
    assert report.n_texts == 4
    with pytest.raises(KeyError):
        report.score("c")


def test_themes_can_be_named_and_nothing_found_scores_zero() -> None:
    report = score_themes([{"a"}], [()], themes=["a", "z"])
    assert [(s.theme, s.precision, s.recall, s.f1) for s in report.themes] == [
        ("a", 0.0, 0.0, 0.0),
        ("z", 0.0, 0.0, 0.0),
    ]
    with pytest.raises(ValueError, match="1 true theme sets but 2 predicted"):
        score_themes([{"a"}], [(), ()])
