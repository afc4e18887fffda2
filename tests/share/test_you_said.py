"""The figures of the "you said, we did" page: themes over the period with shares, resolved
cases by theme and resolution code, only published actions, and nothing below the minimum
group size."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cxloop.errors import NotFoundError, UsageError
from cxloop.share.public_actions import add_action, change_action, get_action, list_actions
from cxloop.share.you_said import you_said_we_did
from share.you_said_data import NOW, add_themes_and_cases


def test_themes_and_resolved_cases_with_small_groups_withheld(warehouse) -> None:
    add_themes_and_cases(warehouse)
    report = you_said_we_did(warehouse, days=90, min_group_n=5, now=NOW)
    assert report.feedback == 17
    assert [(t.theme, t.feedback) for t in report.themes] == [("delivery", 8), ("billing", 6)]
    assert report.themes[0].share == pytest.approx(8 / 17)
    assert report.withheld_themes == 1  # price, 2 pieces; "returns" is outside the period
    assert [(r.theme, r.resolution, r.cases) for r in report.resolved] == [("delivery", "fixed", 6)]
    assert report.withheld_resolved == 1  # billing × compensated: 2 cases
    assert report.since == NOW.date() - timedelta(days=89) and report.until == NOW.date()
    strict = you_said_we_did(warehouse, days=90, min_group_n=7, now=NOW)
    assert [t.theme for t in strict.themes] == ["delivery"] and strict.resolved == []
    too_few = you_said_we_did(warehouse, days=90, min_group_n=50, now=NOW)
    assert too_few.feedback is None and too_few.themes == []


def test_only_published_actions_reach_the_report(warehouse) -> None:
    shown = add_action(warehouse, theme="delivery", titles={"en": "New courier", "es": "Nuevo"},
                       descriptions={"zh": "新的快递"}, author="cli:x", status="done",
                       action_date=date(2026, 11, 2))  # fmt: skip
    add_action(warehouse, theme="billing", titles={"en": "Draft"}, author="cli:x")
    change_action(warehouse, shown.action_id, "cli:y", published=True)
    [public] = you_said_we_did(warehouse, now=NOW).actions
    assert public.action_id == shown.action_id and public.status == "done"
    assert public.title("es") == "Nuevo" and public.title("zh") == "New courier"
    assert public.description("en") == "新的快递"
    change_action(warehouse, shown.action_id, "cli:y", published=False)
    assert you_said_we_did(warehouse, now=NOW).actions == []
    assert len(list_actions(warehouse)) == 2
    assert get_action(warehouse, shown.action_id).author == "cli:y"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"titles": {}}, "title: give the action a title"),
        ({"titles": {"fr": "x"}}, "title: language 'fr'"),
        ({"titles": {"en": "x" * 201}}, r"title \(en\): at most 200"),
        ({"titles": {"en": "x"}, "status": "soon"}, "status: 'soon'"),
        ({"titles": {"en": "x"}, "theme": "nope", "themes": ["delivery"]}, "no theme 'nope'"),
    ],
)
def test_bad_actions_are_refused(warehouse, kwargs, message) -> None:
    with pytest.raises(UsageError, match=message):
        add_action(warehouse, **{"theme": "delivery", "author": "cli:x", **kwargs})
    with pytest.raises(NotFoundError):
        change_action(warehouse, "act_nope", "cli:x", published=True)
