from __future__ import annotations

import pytest

from cxloop.collect.surveys import load_surveys
from cxloop.config import Settings
from cxloop.share.survey_funnel import survey_funnels
from cxloop.share.survey_results import survey_results
from cxloop.storage import Warehouse, open_warehouse
from survey_data import PULSE, invitation_events, respond


@pytest.fixture
def wh(project: Settings):
    with open_warehouse(project.warehouse_url) as warehouse:
        yield warehouse


def test_funnel_counts_rates_and_median(wh: Warehouse, project: Settings) -> None:
    survey = load_surveys(project.project)["post-delivery"]
    invitation_events(wh, "post-delivery", {"sent": 10, "opened": 6, "responded": 3})
    respond(wh, survey, [{"nps": 9}, {"nps": 3}, {"nps": 10}], seconds=30)
    respond(wh, survey, [{"nps": 5}], complete=False, first=3)
    respond(wh, survey, [{"nps": 8}], seconds=90, first=4)  # no invitation event: not counted
    funnel = survey_funnels(wh, ["post-delivery", "billing-ces"])
    f = funnel["post-delivery"]
    assert (f.invitations, f.opened, f.started, f.responses) == (10, 6, 5, 4)
    assert f.response_rate == pytest.approx(0.3) and f.completion_rate == pytest.approx(0.8)
    assert f.median_seconds == pytest.approx(30)
    empty = funnel["billing-ces"]
    assert empty.response_rate is None and empty.completion_rate is None
    assert empty.median_seconds is None


def test_results_of_a_customer_survey(wh: Warehouse, project: Settings) -> None:
    survey = load_surveys(project.project)["post-delivery"]
    answers = [
        {"nps": 10, "love": "Great <b>", "on_time": "on_time"},
        {"nps": 2, "improve": "late"},
        {"nps": 9, "on_time": "late"},
        {"nps": 7},
    ]
    respond(wh, survey, answers)
    results = survey_results(wh, survey, language="es", min_group_n=5, original_text=True)
    [nps] = results.scores
    assert (nps.kpi, nps.n, nps.value, nps.small_n) == ("nps", 4, 25.0, True)
    assert nps.ci_low < 25 < nps.ci_high
    on_time = next(d for d in results.distributions if d.question_id == "on_time")
    assert [(a.answer, a.label, a.count) for a in on_time.answers] == [
        ("early", "Antes de tiempo", 0),
        ("on_time", "A tiempo", 1),
        ("late", "Tarde", 1),
    ]
    nps_dist = results.distributions[0]
    assert len(nps_dist.answers) == 11 and nps_dist.answers[10].count == 1
    assert {c.text for c in results.comments} == {"Great <b>", "late"}
    redacted = survey_results(wh, survey, language="en", min_group_n=5)
    assert all(c.text is None and c.text_withheld for c in redacted.comments)


def test_employee_results_hide_small_groups_and_individuals(wh: Warehouse) -> None:
    respond(wh, PULSE, [{"enps": 9, "why": "mine"}] * 4, kind="employee", teams=["a"] * 4)
    hidden = survey_results(wh, PULSE, language="en", min_group_n=5)
    assert hidden.withheld and not hidden.scores and not hidden.distributions
    respond(wh, PULSE, [{"enps": 3}] * 6, kind="employee", teams=["a"] + ["b"] * 5, first=4)
    shown = survey_results(wh, PULSE, language="en", min_group_n=5)
    assert not shown.withheld and shown.n == 10 and shown.scores[0].value == -20.0
    assert [(t.team_id, t.n) for t in shown.teams] == [("a", 5), ("b", 5)]
    assert shown.comments == []
    stricter = survey_results(wh, PULSE, language="en", min_group_n=6)
    assert stricter.teams == [] and stricter.teams_withheld == 2
