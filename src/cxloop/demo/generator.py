"""``generate_demo_company``: a fake, multilingual, messy company with planted ground truth."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from cxloop.demo.causal import MODEL
from cxloop.demo.customer_files import customer_frames
from cxloop.demo.events import assign_event_ids, build_events
from cxloop.demo.feedback import all_feedback
from cxloop.demo.ground_truth import write_ground_truth
from cxloop.demo.identities import SourceIdentity, build_identities
from cxloop.demo.manifest import DemoManifest
from cxloop.demo.markets import city_table
from cxloop.demo.names import name_pools
from cxloop.demo.orders import build_orders, order_ids
from cxloop.demo.organisation import hire_staff, team_engagement
from cxloop.demo.people import make_people
from cxloop.demo.perception import (
    customer_answers,
    employee_answers,
    expected_shares,
    write_statement_surveys,
)
from cxloop.demo.referrals import build_referrals, referral_truth
from cxloop.demo.simulation import simulate
from cxloop.demo.source_files import (
    write_customer_files,
    write_event_files,
    write_feedback_files,
    write_hr_files,
    write_order_files,
)
from cxloop.demo.timeline import make_timeline
from cxloop.errors import UsageError

MIN_CUSTOMERS = 50
# a new stream goes at the end: each stream's numbers depend only on its position
STREAMS = (
    "people", "organisation", "simulation", "feedback", "identities", "activity", "ids",
    "perception", "referrals",
)  # fmt: skip
FEEDBACK_PREFIX = {"crm": "srv_", "support": "TCK-", "app": "rev_"}


def _streams(seed: int) -> dict[str, np.random.Generator]:
    children = np.random.SeedSequence(seed).spawn(len(STREAMS))
    return {
        name: np.random.default_rng(child) for name, child in zip(STREAMS, children, strict=True)
    }


def _feedback_ids(
    feedback: pd.DataFrame, identities: dict[str, SourceIdentity], rng: np.random.Generator
) -> pd.DataFrame:
    parts = []
    for source, prefix in FEEDBACK_PREFIX.items():
        part = feedback[feedback["source"] == source].sort_values("ts", kind="stable").copy()
        start = 500_000 if source == "support" else 0
        width = 6 if source == "support" else 7
        part["feedback_id"] = [f"{prefix}{start + k:0{width}d}" for k in range(len(part))]
        part["customer_id"] = identities[source].ids_for(
            part["person"].to_numpy(), part["ts"].to_numpy(), rng
        )
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def generate_demo_company(
    out_dir: Path,
    *,
    customers: int = 20_000,
    seed: int = 0,
    start: date = date(2025, 1, 1),
    months: int = 18,
) -> DemoManifest:
    """Write a demo company's source files and their ground truth under ``out_dir``.

    The company sells home goods in five countries (US, UK, Spain, Mexico, China) through a
    web shop, an app and stores; eight teams own its touchpoints. Four systems hold overlapping,
    inconsistent records of the same people; orders, events, surveys, tickets and reviews follow
    a planted causal chain (team engagement → service quality → satisfaction → loyalty and churn
    → revenue) documented in :mod:`cxloop.demo.causal` and in ``ground_truth/``.

    Parameters
    ----------
    out_dir
        Directory to write into (created if missing; files of an earlier run are overwritten).
    customers
        Number of real people (each appears in one to four sources).
    seed
        The same seed gives byte-identical files.
    start, months
        The window the activity falls in.

    Returns
    -------
    DemoManifest
        The files in a valid import order, and where the ground truth is.

    Examples
    --------
    >>> from pathlib import Path
    >>> import tempfile
    >>> manifest = generate_demo_company(Path(tempfile.mkdtemp()), customers=200, months=6)
    >>> [f.kind for f in manifest.files][:3]
    ['teams', 'employees', 'employee_pulses']
    """
    if customers < MIN_CUSTOMERS:
        raise UsageError(f"customers must be at least {MIN_CUSTOMERS}, got {customers}")
    if not 1 <= months <= 120:
        raise UsageError(f"months must be between 1 and 120, got {months}")
    root = Path(out_dir).resolve()
    root.mkdir(parents=True, exist_ok=True)
    rng = _streams(seed)
    model = MODEL
    timeline = make_timeline(start, months)
    cities = city_table()
    pools = name_pools()

    people = make_people(
        customers,
        timeline,
        cities,
        pools,
        model,
        rng["people"],
        random.Random(f"people-{seed}"),
        seed,
    )
    engagement = team_engagement(timeline, rng["organisation"], model)
    staff = hire_staff(timeline, pools, rng["organisation"], random.Random(f"staff-{seed}"))
    sim = simulate(people, cities, engagement, timeline, model, rng["simulation"])
    feedback = all_feedback(
        people,
        cities,
        staff,
        sim,
        timeline,
        model,
        rng["feedback"],
        random.Random(f"comments-{seed}"),
    )
    identities = build_identities(people, sim, feedback, timeline, rng["identities"])
    feedback = _feedback_ids(feedback, identities, rng["ids"])
    ids = order_ids(sim)
    orders = build_orders(people, sim, ids, identities, cities, rng["ids"])
    events = build_events(people, sim, ids, timeline, rng["activity"])
    referrals = build_referrals(people, sim, timeline, rng["referrals"])
    events = pd.concat([events, referrals[list(events.columns)]], ignore_index=True)
    events = assign_event_ids(events, identities, rng["ids"])

    frames = customer_frames(identities, people, cities, sim, seed)
    files = write_hr_files(root, staff, engagement, timeline, model, rng["organisation"])
    files += write_customer_files(root, frames)
    files += write_order_files(root, orders, people, cities)
    files += write_event_files(root, events, people, cities)
    files += write_feedback_files(root, feedback, people, cities)
    statements = (
        employee_answers(staff, engagement, timeline, model, rng["perception"]),
        customer_answers(people, sim, model, rng["perception"]),
    )
    surveys = write_statement_surveys(root, statements, timeline)
    truth = write_ground_truth(
        root / "ground_truth",
        people=people,
        cities=cities,
        identities=identities,
        sim=sim,
        feedback=feedback,
        engagement=engagement,
        timeline=timeline,
        model=model,
        seed=seed,
        perception=expected_shares(*statements),
        referrals=referral_truth(people, referrals),
    )
    manifest = DemoManifest(
        directory=root, files=tuple(files), ground_truth=truth, customers=customers, seed=seed,
        surveys=surveys, start=start, months=months,
    )  # fmt: skip
    (root / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
    return manifest
