"""The voice of the customer: survey answers after interactions (NPS, CSAT, CES), support
tickets, and app-store reviews — scores from the equations of :mod:`cxloop.demo.causal`, comments
from :mod:`cxloop.demo.comments` whose themes follow what actually went wrong.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxloop.demo.causal import ValueChainModel
from cxloop.demo.comments import THEMES, Comment, CommentWriter, Slots, format_amount
from cxloop.demo.interactions import (
    BROWSE,
    CALL,
    CHAT,
    DELIVERY,
    INVOICE,
    ORDER_SESSION,
    RETURN,
    STORE,
    Simulation,
)
from cxloop.demo.markets import MARKETS, CityTable
from cxloop.demo.organisation import TEAM_INDEX, TEAMS, Staff
from cxloop.demo.people import People
from cxloop.demo.timeline import DAY, HOUR, Timeline
from cxloop.domain.records import TOUCHPOINTS

SURVEY_RATE = {
    ORDER_SESSION: 0.04, BROWSE: 0.004, INVOICE: 0.05, DELIVERY: 0.12, STORE: 0.10,
    CALL: 0.22, CHAT: 0.22, RETURN: 0.22,
}  # fmt: skip
SURVEY_ID = {
    ORDER_SESSION: "post_purchase", BROWSE: "site_intercept", INVOICE: "billing_experience",
    DELIVERY: "post_delivery", STORE: "store_visit", CALL: "support_followup",
    CHAT: "support_followup", RETURN: "returns_experience",
}  # fmt: skip
CES_KINDS = (ORDER_SESSION, INVOICE, CALL, CHAT, RETURN)
NPS_SHARE = 0.55
TICKET_CSAT_SHARE = 0.4
REVIEW_TEXT_SHARE = 0.85
COMMENT_SHARE = {"negative": 0.62, "middle": 0.45, "positive": 0.38}
RECENT = 90 * DAY

THEMES_AT: dict[str, tuple[tuple[str, float], ...]] = {
    "delivery": (("delivery", 0.85), ("product_quality", 0.15)),
    "billing": (("billing", 0.8), ("price", 0.2)),
    "web": (("app_usability", 0.55), ("price", 0.25), ("product_quality", 0.2)),
    "app": (("app_usability", 0.7), ("price", 0.15), ("product_quality", 0.15)),
    "store": (("staff_friendliness", 0.45), ("wait_time", 0.2), ("product_quality", 0.2),
              ("price", 0.15)),
    "call_centre": (("staff_friendliness", 0.5), ("wait_time", 0.5)),
    "chat": (("staff_friendliness", 0.5), ("wait_time", 0.5)),
    "email": (("returns", 1.0),),
}  # fmt: skip
FAILURE_THEME = {
    "delivery": "delivery", "billing": "billing", "web": "app_usability", "app": "app_usability",
    "store": "wait_time", "call_centre": "wait_time", "chat": "wait_time", "email": "returns",
}  # fmt: skip
QUESTION_THEMES = ("delivery", "billing", "product_quality", "returns", "price", "app_usability")


@dataclass(frozen=True)
class _Context:
    people: People
    cities: CityTable
    staff: Staff
    sim: Simulation
    model: ValueChainModel
    rng: np.random.Generator
    rnd: random.Random
    writer: CommentWriter


def _clip_round(values: np.ndarray, low: int, high: int) -> np.ndarray:
    return np.clip(np.rint(values), low, high).astype(np.int64)


def _mood(score: np.ndarray, low: int, high: int) -> np.ndarray:
    return np.where(score >= high, "positive", np.where(score <= low, "negative", "middle"))


def _recent_failure(sim: Simulation, person: np.ndarray, ts: np.ndarray) -> np.ndarray:
    """Touchpoint of each person's latest failure in the 90 days before ``ts`` (-1: none)."""
    inter = sim.interactions
    rows = np.flatnonzero(inter.failure)
    key = inter.person[rows].astype(np.int64) * (1 << 33) + inter.ts[rows]
    order = np.argsort(key, kind="stable")
    key, rows = key[order], rows[order]
    at = np.searchsorted(key, person.astype(np.int64) * (1 << 33) + ts, side="left") - 1
    found = np.full(len(person), -1, dtype=np.int64)
    ok = at >= 0
    hit = rows[np.maximum(at, 0)]
    ok &= (inter.person[hit] == person) & (ts - inter.ts[hit] <= RECENT)
    found[ok] = inter.touchpoint[hit[ok]]
    return found


class _Composer:
    """Comments for feedback rows, with slots from the interaction behind each one."""

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.rnd = ctx.rnd

    def pick_theme(self, touchpoint: str) -> str:
        options = THEMES_AT[touchpoint]
        return self.rnd.choices([t for t, _ in options], weights=[w for _, w in options])[0]

    def other_theme(self, theme: str) -> str:
        return self.rnd.choice([t for t in THEMES if t != theme])

    def slots(self, person: int, row: int, theme_row: int) -> Slots:
        ctx, rnd = self.ctx, self.rnd
        inter, people = ctx.sim.interactions, ctx.people
        market = MARKETS[people.market[person]]
        language = market.language
        order = inter.order[row] if row >= 0 else -1
        amount = ctx.sim.orders.amount[order] if order >= 0 else people.spend_level[person]
        days, minutes = rnd.randint(3, 9), rnd.randint(15, 45)
        if theme_row >= 0:
            detail = inter.detail[theme_row]
            tp = TOUCHPOINTS[inter.touchpoint[theme_row]]
            if tp in ("delivery", "email") and detail >= 1:
                days = int(detail)
            if tp in ("store", "call_centre", "chat") and detail >= 5:
                minutes = int(detail)
        team = inter.team[row] if row >= 0 else TEAM_INDEX["call_centre"]
        if TEAMS[team].touchpoint not in ("store", "call_centre", "chat"):
            team = TEAM_INDEX["call_centre"]
        return Slots(
            days=days,
            amount=format_amount(float(amount), market.currency, language),
            staff=rnd.choice(ctx.staff.names_in(int(team), language)),
            minutes=minutes,
            city=ctx.cities.cities[people.city[person]].name,
        )


def surveys(ctx: _Context, timeline: Timeline) -> pd.DataFrame:
    """Answers to the surveys sent after interactions (CRM contacts only)."""
    inter, people, rng, model = ctx.sim.interactions, ctx.people, ctx.rng, ctx.model
    rate = np.zeros(len(inter))
    for kind, r in SURVEY_RATE.items():
        rate[inter.kind == kind] = r
    rows = np.flatnonzero(people.in_crm[inter.person] & (rng.random(len(inter)) < rate))
    ts = inter.ts[rows] + rng.integers(HOUR, 72 * HOUR, len(rows))
    keep = ts < timeline.end
    rows, ts = rows[keep], ts[keep]
    n = len(rows)
    q, f, s = inter.quality[rows], inter.failure[rows], inter.satisfaction[rows]
    a, b_q, b_f, b_s, sd = model.csat
    csat = _clip_round(a + b_q * q + b_f * f + b_s * s + rng.normal(0, sd, n), 1, 5)
    a, b_q, b_f, sd = model.ces
    ces = _clip_round(a + b_q * q + b_f * f + rng.normal(0, sd, n), 1, 7)
    a, b_s, b_q, sd = model.nps
    nps = _clip_round(a + b_s * s + b_q * q + rng.normal(0, sd, n), 0, 10)
    asks_nps = rng.random(n) < NPS_SHARE
    asks_ces = np.isin(inter.kind[rows], CES_KINDS)
    mood = np.where(asks_nps, _mood(nps, 6, 9), _mood(csat, 2, 4))
    writes = rng.random(n) < np.vectorize(COMMENT_SHARE.get)(mood)
    recent = _recent_failure(ctx.sim, inter.person[rows], ts)
    frame = _base_frame("crm", inter.person[rows], ts, rows)
    frame["kind"] = "survey"
    tp_names = np.array(TOUCHPOINTS)[inter.touchpoint[rows]]
    frame["channel"] = np.where(
        tp_names == "app", "in_app", np.where(rng.random(n) < 0.75, "email", "sms")
    )
    frame["touchpoint"] = tp_names
    frame["team_id"] = np.array([t.team_id for t in TEAMS])[inter.team[rows]]
    frame["survey_id"] = [SURVEY_ID[k] for k in inter.kind[rows]]
    frame["nps"] = pd.array(np.where(asks_nps, nps, -1), dtype="Int64").copy()
    frame.loc[~asks_nps, "nps"] = pd.NA
    frame["csat"] = pd.array(csat, dtype="Int64")
    frame["ces"] = pd.array(ces, dtype="Int64")
    frame.loc[~asks_ces, "ces"] = pd.NA
    frame["rating"] = np.nan
    frame["language"] = [MARKETS[m].language for m in people.market[inter.person[rows]]]
    composer = _Composer(ctx)
    texts: list[Comment | None] = []
    for i in range(n):
        if not writes[i]:
            texts.append(None)
            continue
        row, tp = int(rows[i]), tp_names[i]
        theme_row = row
        if mood[i] == "negative" and f[i]:
            theme = FAILURE_THEME[tp]
        elif mood[i] == "negative" and recent[i] >= 0:
            theme = FAILURE_THEME[TOUCHPOINTS[recent[i]]]
            theme_row = -1
        else:
            theme = composer.pick_theme(tp)
        if theme == "staff_friendliness" and tp in ("store", "call_centre", "chat") and f[i]:
            theme = composer.rnd.choice(("staff_friendliness", "wait_time"))
        person = int(inter.person[row])
        comment = ctx.writer.write(
            frame["language"].iat[i],
            str(mood[i]),
            theme,
            composer.other_theme(theme),
            composer.slots(person, row, theme_row),
        )
        texts.append(comment)
    return _with_comments(frame, texts)


def tickets(ctx: _Context) -> pd.DataFrame:
    """One ticket per support call, chat and return request, in the customer's words."""
    inter, people, rng, model = ctx.sim.interactions, ctx.people, ctx.rng, ctx.model
    rows = np.flatnonzero(np.isin(inter.kind, (CALL, CHAT, RETURN)))
    n = len(rows)
    q, f, s = inter.quality[rows], inter.failure[rows], inter.satisfaction[rows]
    a, b_q, b_f, b_s, sd = model.csat
    csat = _clip_round(a + b_q * q + b_f * f + b_s * s + rng.normal(0, sd, n), 1, 5)
    answered = rng.random(n) < TICKET_CSAT_SHARE
    frame = _base_frame("support", inter.person[rows], inter.ts[rows], rows)
    frame["kind"] = "ticket"
    kinds = inter.kind[rows]
    frame["channel"] = np.where(kinds == CALL, "phone", np.where(kinds == CHAT, "chat", "email"))
    frame["touchpoint"] = np.array(TOUCHPOINTS)[inter.touchpoint[rows]]
    frame["team_id"] = np.array([t.team_id for t in TEAMS])[inter.team[rows]]
    frame["survey_id"] = None
    frame["nps"] = pd.array([pd.NA] * n, dtype="Int64")
    frame["csat"] = pd.array(csat, dtype="Int64")
    frame.loc[~answered, "csat"] = pd.NA
    frame["ces"] = pd.array([pd.NA] * n, dtype="Int64")
    frame["rating"] = np.nan
    frame["language"] = [MARKETS[m].language for m in people.market[inter.person[rows]]]
    composer = _Composer(ctx)
    texts: list[Comment | None] = []
    for i, row in enumerate(rows.tolist()):
        person, cause = int(inter.person[row]), int(inter.cause[row])
        language = frame["language"].iat[i]
        if kinds[i] == RETURN:
            if f[i]:
                mood, theme, theme_row = "negative", "returns", row
            elif composer.rnd.random() < 0.5:
                mood, theme, theme_row = "question", "returns", row
            else:
                mood, theme, theme_row = "negative", "product_quality", -1
            other, also = composer.other_theme(theme), False
        elif cause >= 0:
            cause_tp = TOUCHPOINTS[inter.touchpoint[cause]]
            mood, theme, theme_row = "negative", FAILURE_THEME[cause_tp], cause
            also = bool(f[i]) and theme != "wait_time"
            other = "wait_time" if also else composer.other_theme(theme)
        else:
            mood, theme, theme_row = "question", composer.rnd.choice(QUESTION_THEMES), -1
            other, also = composer.other_theme(theme), False
        texts.append(
            ctx.writer.write(
                language,
                mood,
                theme,
                other,
                composer.slots(person, row, theme_row),
                also_other=also,
            )
        )
    return _with_comments(frame, texts)


def reviews(ctx: _Context) -> pd.DataFrame:
    """App-store reviews from app users: stars and, usually, a few words."""
    rv, people, rng = ctx.sim.reviews, ctx.people, ctx.rng
    n = len(rv.ts)
    frame = _base_frame("app", rv.person, rv.ts, np.full(n, -1))
    frame["kind"] = "review"
    frame["channel"] = np.where(rng.random(n) < 0.5, "app_store", "google_play")
    frame["touchpoint"] = "app"
    frame["team_id"] = "web_app"
    frame["survey_id"] = None
    for column in ("nps", "csat", "ces"):
        frame[column] = pd.array([pd.NA] * n, dtype="Int64")
    frame["rating"] = rv.stars.astype(float)
    language = [MARKETS[m].language for m in people.market[rv.person]]
    mood = _mood(rv.stars, 2, 4)
    writes = rng.random(n) < REVIEW_TEXT_SHARE
    recent = _recent_failure(ctx.sim, rv.person, rv.ts)
    composer = _Composer(ctx)
    texts: list[Comment | None] = []
    for i in range(n):
        if not writes[i]:
            texts.append(None)
            continue
        if mood[i] == "negative" and rv.app_failure[i]:
            theme = "app_usability"
        elif mood[i] == "negative" and recent[i] >= 0:
            theme = FAILURE_THEME[TOUCHPOINTS[recent[i]]]
        else:
            theme = composer.pick_theme("app")
        comment = ctx.writer.write(
            language[i],
            str(mood[i]),
            theme,
            composer.other_theme(theme),
            composer.slots(int(rv.person[i]), -1, -1),
        )
        texts.append(comment)
    frame["language"] = None  # store reviews carry no language: analysers must detect it
    frame = _with_comments(frame, texts)
    frame["truth_language"] = language
    return frame


def _base_frame(source: str, person: np.ndarray, ts: np.ndarray, rows: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {"source": source, "person": person.astype(np.int64), "ts": ts, "interaction": rows}
    )


def _with_comments(frame: pd.DataFrame, comments: list[Comment | None]) -> pd.DataFrame:
    frame["text"] = [c.text if c else None for c in comments]
    frame["sentiment"] = [c.sentiment if c else None for c in comments]
    frame["themes"] = [";".join(c.themes) if c else None for c in comments]
    frame["intent"] = [c.intent if c else None for c in comments]
    if "truth_language" not in frame:
        frame["truth_language"] = frame["language"]
    return frame


def all_feedback(
    people: People,
    cities: CityTable,
    staff: Staff,
    sim: Simulation,
    timeline: Timeline,
    model: ValueChainModel,
    rng: np.random.Generator,
    rnd: random.Random,
) -> pd.DataFrame:
    """Every piece of feedback, with its truth (sentiment, themes, intent) alongside."""
    ctx = _Context(people, cities, staff, sim, model, rng, rnd, CommentWriter(rnd))
    return pd.concat([surveys(ctx, timeline), tickets(ctx), reviews(ctx)], ignore_index=True)
