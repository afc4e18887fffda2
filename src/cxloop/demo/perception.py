"""The planted perception gap: managers', staff's and customers' answers to the same statements.

Equation 10 of :mod:`cxloop.demo.causal`. Employees take the customer-centricity
self-assessment once, in the last quarter; customers rate the same statements after one
interaction each. Both become complete ``survey_responses`` of the starter surveys
``employee-customer-centricity`` and ``customer-centricity`` (customers through the survey's
anonymous link, so their responses carry no customer id, only the team that served them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd

from cxloop.demo.causal import ValueChainModel
from cxloop.demo.interactions import Simulation
from cxloop.demo.manifest import DemoSurveys
from cxloop.demo.markets import MARKETS
from cxloop.demo.organisation import TEAMS, Staff
from cxloop.demo.people import People
from cxloop.demo.timeline import DAY, HOUR, Timeline, iso_utc
from cxloop.demo.writers import write_jsonl

EMPLOYEE_SURVEY = "employee-customer-centricity"
CUSTOMER_SURVEY = "customer-centricity"
STATEMENTS = ("listen", "resolve_quickly", "person_not_number", "keep_promises", "easy")
#: customers answering the statements, as a share of the company's customers
CUSTOMER_SHARE = 0.12
AGREE_AT = 3.5  # a latent value rounds to 4 or more from here


@dataclass(frozen=True)
class StatementAnswers:
    """The responses (one row each, as ``survey_responses`` holds them) and, per respondent and
    statement, the latent mean and noise sd the answer was drawn from (for the ground truth)."""

    responses: pd.DataFrame
    latent: pd.DataFrame


def _answers(mean: np.ndarray, sd: float, rng: np.random.Generator) -> np.ndarray:
    return np.clip(np.rint(mean + rng.normal(0.0, sd, mean.shape)), 1, 5).astype(int)


def _json_answers(values: np.ndarray) -> list[str]:
    return [json.dumps(dict(zip(STATEMENTS, (int(v) for v in row), strict=True))) for row in values]


def employee_answers(
    staff: Staff,
    engagement: np.ndarray,
    timeline: Timeline,
    model: ValueChainModel,
    rng: np.random.Generator,
) -> StatementAnswers:
    """The self-assessment in the last quarter: every manager, most of the staff."""
    q = timeline.quarters - 1
    n = len(staff.employee_id)
    when = timeline.quarter_mid[q] + rng.integers(-10, 11, n) * DAY + rng.integers(8, 18, n) * HOUR
    when = when + rng.integers(0, 3600, n)
    when = np.clip(when, timeline.start, timeline.end - 1)
    answer = (staff.hired < when) & (
        staff.is_manager | (rng.random(n) < model.statement_staff_response_rate)
    )
    intercept, slope, boss, sd = model.pulse_customer_centricity
    base = intercept + slope * engagement[staff.team, q] + boss * staff.is_manager.astype(float)
    offsets = np.array([model.statement_employee_offsets[s] for s in STATEMENTS])
    mean = base[:, None] + offsets[None, :]
    values = _answers(mean, sd, rng)
    duration = rng.uniform(40, 150, n)
    rows = np.flatnonzero(answer)
    team_ids = np.array([t.team_id for t in TEAMS], dtype=object)[staff.team]
    ids = np.array(staff.employee_id, dtype=object)
    responses = pd.DataFrame(
        {
            "response_id": [f"demo-ecc-{eid}" for eid in ids[rows]],
            "survey_id": EMPLOYEE_SURVEY,
            "employee_id": ids[rows],
            "team_id": team_ids[rows],
            "ts": when[rows],
            "language": np.array(staff.language, dtype=object)[rows],
            "answers": _json_answers(values[rows]),
            "duration_s": np.round(duration[rows], 1),
        }
    )
    group = np.where(staff.is_manager[rows], "managers", "employees")
    latent = _latent(mean[rows], sd, group, team_ids[rows])
    return StatementAnswers(responses, latent)


def customer_answers(
    people: People, sim: Simulation, model: ValueChainModel, rng: np.random.Generator
) -> StatementAnswers:
    """Customers' answers after one interaction each, sampled evenly across the teams."""
    inter = sim.interactions
    order = rng.permutation(len(inter))
    _, first = np.unique(inter.person[order], return_index=True)
    candidates = order[first]  # one random interaction per person who had any
    per_team = max(1, round(CUSTOMER_SHARE * people.n / len(TEAMS)))
    chosen = []
    for k in range(len(TEAMS)):
        of_team = candidates[inter.team[candidates] == k]
        chosen.append(rng.permutation(of_team)[:per_team])
    rows = np.sort(np.concatenate(chosen))
    intercept, s_slope, q_slope, f_slope, sd = model.statement_customer
    base = (
        intercept
        + s_slope * inter.satisfaction[rows]
        + q_slope * inter.quality[rows]
        + f_slope * inter.failure[rows].astype(float)
    )
    offsets = np.array([model.statement_customer_offsets[s] for s in STATEMENTS])
    mean = base[:, None] + offsets[None, :]
    values = _answers(mean, sd, rng)
    n = len(rows)
    when = inter.ts[rows] + rng.integers(1, 48, n) * HOUR + rng.integers(0, 3600, n)
    team_ids = np.array([t.team_id for t in TEAMS], dtype=object)[inter.team[rows]]
    languages = np.array([MARKETS[m].language for m in people.market[inter.person[rows]]])
    responses = pd.DataFrame(
        {
            "response_id": [f"demo-cc-{j:06d}" for j in range(n)],
            "survey_id": CUSTOMER_SURVEY,
            "employee_id": None,
            "team_id": team_ids,
            "ts": when,
            "language": languages.astype(object),
            "answers": _json_answers(values),
            "duration_s": np.round(rng.uniform(30, 120, n), 1),
        }
    )
    latent = _latent(mean, sd, np.full(n, "customers"), team_ids)
    return StatementAnswers(responses, latent)


def _latent(mean: np.ndarray, sd: float, group: np.ndarray, team: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame(mean, columns=list(STATEMENTS))
    frame["group"], frame["team_id"], frame["sd"] = group, team, sd
    return frame


def response_rows(*parts: StatementAnswers, end: int) -> pd.DataFrame:
    """The responses of ``parts`` as ``survey_responses`` rows: complete, ISO times, before
    the window's ``end``."""
    frame = pd.concat([p.responses for p in parts], ignore_index=True)
    ts = np.minimum(frame["ts"].to_numpy(dtype=np.int64), end - 1)
    started = ts - np.rint(frame["duration_s"].to_numpy()).astype(np.int64)
    return frame.assign(
        ts=iso_utc(ts), started_at=iso_utc(started), status="complete", invitation_id=None,
        customer_id=None,
    )  # fmt: skip


def expected_shares(*parts: StatementAnswers) -> dict[str, object]:
    """Expected share agreeing per statement and group, company-wide and per team, given the
    drawn latent means: the mean over respondents of P(latent ≥ 3.5) = Φ((μ − 3.5) / σ)."""
    latent = pd.concat([p.latent for p in parts], ignore_index=True)
    normal = NormalDist()
    for s in STATEMENTS:
        pairs = zip(latent[s], latent["sd"], strict=True)
        latent[s] = [normal.cdf((mu - AGREE_AT) / sd) for mu, sd in pairs]
    company = latent.groupby("group")[list(STATEMENTS)].mean().round(4)
    teams = latent.groupby(["team_id", "group"])[list(STATEMENTS)].mean().round(4)
    counts = latent.groupby("group").size()
    team_counts = latent.groupby(["team_id", "group"]).size()
    return {
        "company": {
            g: {"respondents": int(counts[g]), **company.loc[g].to_dict()} for g in company.index
        },
        "teams": {
            team: {
                g: {"respondents": int(team_counts[(team, g)]), **teams.loc[(team, g)].to_dict()}
                for (t, g) in teams.index
                if t == team
            }
            for team in sorted({t for t, _ in teams.index})
        },
    }


def write_statement_surveys(
    root: Path, parts: tuple[StatementAnswers, ...], timeline: Timeline
) -> DemoSurveys:
    """The two statement surveys (the starter project's definitions) and their responses,
    under ``root/surveys``."""
    directory = root / "surveys"
    directory.mkdir(parents=True, exist_ok=True)
    starter = resources.files("cxloop") / "starter" / "surveys"
    definitions = []
    for survey_id in (EMPLOYEE_SURVEY, CUSTOMER_SURVEY):
        target = directory / f"{survey_id}.yaml"
        target.write_text((starter / f"{survey_id}.yaml").read_text(encoding="utf-8"),
                          encoding="utf-8")  # fmt: skip
        definitions.append(target)
    rows = response_rows(*parts, end=timeline.end)
    responses = write_jsonl(rows, directory / "responses.jsonl")
    return DemoSurveys(definitions=tuple(definitions), responses=responses)
