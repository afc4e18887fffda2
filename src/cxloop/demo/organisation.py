"""The company's side of the value chain: teams that own touchpoints, their staff, the latent
engagement of each team per quarter, and the quarterly employee pulse surveys that measure it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxloop.demo.causal import ValueChainModel
from cxloop.demo.contacts import ascii_fold
from cxloop.demo.names import NamePool
from cxloop.demo.pinyin import to_pinyin
from cxloop.demo.timeline import DAY, HOUR, Timeline, day_text, iso_utc

COMPANY_DOMAIN = "casalumen.example"


@dataclass(frozen=True)
class Team:
    """A team, the touchpoint it owns, and the story of its engagement."""

    team_id: str
    name: str
    function: str
    touchpoint: str
    size: int
    languages: tuple[tuple[str, float], ...]
    base: float
    trend: float
    onset: int
    roles: tuple[str, ...]
    story: str


TEAMS: tuple[Team, ...] = (
    Team("web_app", "Web & App", "digital", "web", 14, (("en", 0.5), ("es", 0.3), ("zh", 0.2)),
         0.5, 0.0, 0, ("Software Engineer", "Product Designer", "QA Engineer"),
         "Steady and fairly engaged; owns the web shop and the app."),
    Team("stores_north", "Stores North", "stores", "store", 25,
         (("en", 0.45), ("es", 0.25), ("zh", 0.3)), 0.9, 0.0, 0,
         ("Store Associate", "Cashier", "Stock Associate"),
         "The most engaged team all along."),
    Team("stores_south", "Stores South", "stores", "store", 22,
         (("en", 0.45), ("es", 0.3), ("zh", 0.25)), -0.5, 0.0, 0,
         ("Store Associate", "Cashier", "Stock Associate"),
         "Understaffed and below average throughout."),
    Team("call_centre", "Call Centre", "support", "call_centre", 20,
         (("en", 0.45), ("es", 0.35), ("zh", 0.2)), -1.0, 0.4, 1,
         ("Customer Service Agent", "Senior Agent"),
         "Starts disengaged; a coaching programme lifts it every quarter from the second on."),
    Team("delivery", "Delivery", "delivery", "delivery", 16,
         (("en", 0.45), ("es", 0.3), ("zh", 0.25)), 0.6, -0.5, 1,
         ("Delivery Coordinator", "Dispatcher", "Carrier Liaison"),
         "Starts engaged; a new routing system and overtime wear it down each quarter."),
    Team("billing", "Billing", "billing", "billing", 8, (("en", 0.5), ("es", 0.3), ("zh", 0.2)),
         -0.2, 0.0, 0, ("Billing Specialist", "Accounts Receivable Clerk"),
         "About average."),
    Team("chat_support", "Chat Support", "support", "chat", 12,
         (("en", 0.35), ("es", 0.3), ("zh", 0.35)), 0.8, 0.0, 0, ("Chat Agent",),
         "Young, engaged team."),
    Team("returns", "Returns", "returns", "email", 6, (("en", 0.5), ("es", 0.3), ("zh", 0.2)),
         -0.7, 0.0, 0, ("Returns Specialist",),
         "Small, stretched and disengaged."),
)  # fmt: skip

TEAM_INDEX = {team.team_id: k for k, team in enumerate(TEAMS)}


def team_engagement(
    timeline: Timeline, rng: np.random.Generator, model: ValueChainModel
) -> np.ndarray:
    """E[k, q]: latent engagement of each team in each quarter (rows follow :data:`TEAMS`)."""
    quarters = np.arange(timeline.quarters)
    engagement = np.empty((len(TEAMS), timeline.quarters))
    for k, team in enumerate(TEAMS):
        drift = team.trend * np.maximum(0, quarters - team.onset)
        noise = rng.normal(0.0, model.engagement_noise, timeline.quarters)
        engagement[k] = np.clip(team.base + drift + noise, -2.5, 2.5)
    return engagement


@dataclass(frozen=True)
class Staff:
    """Every employee; row order is employee order."""

    employee_id: list[str]
    team: np.ndarray
    name: list[str]
    first_name: list[str]
    language: list[str]
    email: list[str]
    role: list[str]
    is_manager: np.ndarray
    hired: np.ndarray

    def names_in(self, team: int, language: str) -> list[str]:
        """First names of a team's staff who speak ``language`` (all staff when none do)."""
        rows = [i for i in np.flatnonzero(self.team == team) if self.language[i] == language]
        rows = rows or list(np.flatnonzero(self.team == team))
        return [self.first_name[i] for i in rows]


_LANGUAGE_MARKETS = {"en": ("US", "GB"), "es": ("ES", "MX"), "zh": ("CN",)}


def hire_staff(
    timeline: Timeline, pools: dict[str, NamePool], rng: np.random.Generator, rnd: random.Random
) -> Staff:
    ids: list[str] = []
    teams: list[int] = []
    names: list[str] = []
    firsts: list[str] = []
    langs: list[str] = []
    emails: list[str] = []
    roles: list[str] = []
    managers: list[bool] = []
    hired: list[int] = []
    seen: dict[str, None] = {}
    for k, team in enumerate(TEAMS):
        options = [lang for lang, _ in team.languages]
        shares = [share for _, share in team.languages]
        for j in range(team.size):
            language = rnd.choices(options, weights=shares)[0]
            market = rnd.choice(_LANGUAGE_MARKETS[language])
            female = np.array([rnd.random() < 0.55])
            first, last = (v[0] for v in pools[market].sample(rng, female))
            if language == "zh":
                name, short = last + first, last + first
                local = f"{to_pinyin(first)}.{to_pinyin(last)}".lower()
            else:
                name, short = f"{first} {last}", first.split()[0]
                local = ascii_fold(f"{first.split()[0]}.{last.split()[0]}").lower()
            local = "".join(ch for ch in local if ch.isalnum() or ch == ".")
            email = f"{local}@{COMPANY_DOMAIN}"
            while email in seen:
                email = f"{local}{rnd.randint(2, 99)}@{COMPANY_DOMAIN}"
            seen[email] = None
            manager = j == 0
            if manager or rnd.random() < 0.88:
                start = timeline.start - int(rnd.uniform(0.3, 9.0) * 365 * DAY)
            else:
                start = timeline.start + int(
                    rnd.uniform(0.0, 0.8) * (timeline.end - timeline.start)
                )
            ids.append(f"E{len(ids) + 1:04d}")
            teams.append(k)
            names.append(name)
            firsts.append(short)
            langs.append(language)
            emails.append(email)
            roles.append("Team Manager" if manager else rnd.choice(team.roles))
            managers.append(manager)
            hired.append(start)
    return Staff(
        employee_id=ids,
        team=np.array(teams, dtype=np.int16),
        name=names,
        first_name=firsts,
        language=langs,
        email=emails,
        role=roles,
        is_manager=np.array(managers),
        hired=np.array(hired, dtype=np.int64),
    )


def teams_frame(staff: Staff) -> pd.DataFrame:
    managers = {int(staff.team[i]): staff.employee_id[i] for i in np.flatnonzero(staff.is_manager)}
    return pd.DataFrame(
        {
            "team_id": [t.team_id for t in TEAMS],
            "name": [t.name for t in TEAMS],
            "function": [t.function for t in TEAMS],
            "touchpoint": [t.touchpoint for t in TEAMS],
            "parent_team_id": [""] * len(TEAMS),
            "manager_employee_id": [managers[k] for k in range(len(TEAMS))],
        }
    )


def employees_frame(staff: Staff) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "employee_id": staff.employee_id,
            "team_id": [TEAMS[k].team_id for k in staff.team],
            "name": staff.name,
            "email": staff.email,
            "role": staff.role,
            "is_manager": ["true" if m else "false" for m in staff.is_manager],
            "hired_at": day_text(staff.hired.astype("datetime64[s]").astype("datetime64[D]")),
            "language": staff.language,
        }
    )


def pulses_frame(
    staff: Staff,
    engagement: np.ndarray,
    timeline: Timeline,
    rng: np.random.Generator,
    model: ValueChainModel,
) -> pd.DataFrame:
    """Quarterly pulse answers: eNPS, engagement, wellbeing, customer-centricity (self)."""
    rows = []
    n = len(staff.employee_id)
    manager = staff.is_manager.astype(float)
    for q, label in enumerate(timeline.quarter_labels):
        when = (
            timeline.quarter_mid[q] + rng.integers(-6, 7, n) * DAY + rng.integers(8, 18, n) * HOUR
        )
        when = np.clip(when + rng.integers(0, 3600, n), timeline.start, timeline.end - 1)
        answers = (staff.hired < when) & (rng.random(n) < 0.85)
        e = engagement[staff.team, q]

        def item(coef: tuple[float, float, float, float], e: np.ndarray = e) -> np.ndarray:
            intercept, slope, boss, sd = coef
            return intercept + slope * e + boss * manager + rng.normal(0, sd, len(e))

        frame = pd.DataFrame(
            {
                "pulse_id": [f"pulse-{label}-{eid}" for eid in staff.employee_id],
                "employee_id": staff.employee_id,
                "team_id": [TEAMS[k].team_id for k in staff.team],
                "ts": when,
                "enps": np.clip(np.rint(item(model.pulse_enps)), 0, 10).astype(int),
                "engagement": _index(item(model.pulse_engagement)),
                "wellbeing": _index(item(model.pulse_wellbeing)),
                "customer_centricity": _index(item(model.pulse_customer_centricity)),
            }
        )
        rows.append(frame[answers])
    pulses = pd.concat(rows, ignore_index=True).sort_values(["ts", "pulse_id"], kind="stable")
    pulses["ts"] = iso_utc(pulses["ts"].to_numpy())
    return pulses.reset_index(drop=True)


def _index(values: np.ndarray) -> np.ndarray:
    """A 1–5 index, as a mean of Likert items: one decimal."""
    return np.round(np.clip(values, 1.0, 5.0), 1)
