"""What the conformance suite asks every engine: the demo company's figures, as plain data.

:func:`demo_answers` builds the small demo company on a warehouse and collects, stage by
stage, the answers the product gives (the last two, an erasure and a served batch, from
:mod:`conformance.lifecycle_answers`); :func:`differences` compares two engines' answers,
floats within :data:`REL_TOL` / :data:`ABS_TOL` (the engines add in different orders: the
differences seen are about 1e-14 relative).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import ibis
from fastapi.testclient import TestClient

from conformance.lifecycle_answers import erasure_answers, serve_answers, write_key
from cxloop.access.users import add_user
from cxloop.api import create_app
from cxloop.config import Settings
from cxloop.demo.loading import run_demo
from cxloop.errors import DataError
from cxloop.project import open_project_warehouse
from cxloop.storage import Warehouse
from cxloop.understand.drivers import driver_report
from cxloop.understand.journeys import journey_options, journey_report
from cxloop.understand.kpi import KPIS, kpi_report
from cxloop.understand.valuechain import CHAIN_FILE, load_chain_file
from cxloop.understand.valuechain.chain import fit_chain
from cxloop.understand.valuechain.team_periods import team_period_table
from cxloop.web.navigation import NAVIGATION

CUSTOMERS, SEED = 300, 0
REL_TOL, ABS_TOL = 1e-6, 1e-9
#: fields that hold the wall-clock time of the run, not an answer
CLOCK_FIELDS = frozenset({"computed_at", "generated_at", "fitted_at", "seconds"})
#: drivers and the value chain need more data than the small company has per driver and cell
DRIVER_MIN_N = 10


def demo_answers(project: Path, url: str) -> dict[str, Any]:
    """Build the demo company (:data:`CUSTOMERS`, :data:`SEED`) in ``project`` on the
    warehouse at ``url`` and return every stage's answers."""
    settings = Settings.load(project=project, warehouse=url, secret_key="conformance-" + "k" * 32)
    result = run_demo(settings, customers=CUSTOMERS, seed=SEED)
    answers: dict[str, Any] = {"demo_segments": result.segments}
    with open_project_warehouse(settings) as wh:
        answers["counts"] = wh.counts()
        answers["customers"] = _customers(wh)
        answers["kpis"] = _kpis(wh)
        answers["segments"] = _grouped(wh, "segment_members", "segment_id")
        answers["journeys"] = journey_report(wh, journey_options(settings)).model_dump(mode="json")
        answers["drivers"] = {
            outcome: driver_report(wh, outcome, min_n=DRIVER_MIN_N).model_dump(mode="json")
            for outcome in ("nps", "churn")
        }
        answers["value_chain"] = _value_chain(wh, settings)
        answers["cases"] = _grouped(wh, "cases", "rule_id", "priority")
        answers["case_events"] = _grouped(wh, "case_events", "kind")
        answers["pages"] = _pages(settings, wh)
        answers["erasure"] = erasure_answers(wh, settings)
        key = write_key(wh)
    answers["serve"] = serve_answers(settings, key, project.parent / "serve.log")
    return answers


def _records(wh: Warehouse, expr: ibis.Table, *order: str) -> list[dict[str, Any]]:
    frame = wh.to_pandas(expr.order_by(*order))
    return [
        {k: (None if _missing(v) else v) for k, v in row.items()}
        for row in frame.to_dict(orient="records")
    ]


def _missing(value: Any) -> bool:
    try:
        return bool(value is None or value != value)  # None, NaN, NA
    except (TypeError, ValueError):
        return False


def _grouped(wh: Warehouse, table: str, *columns: str) -> list[dict[str, Any]]:
    t = wh.table(table)
    return _records(wh, t.group_by(list(columns)).agg(rows=t.count()), *columns)


def _customers(wh: Warehouse) -> dict[str, Any]:
    """Who resolved into whom: every customer with its number of source records."""
    ids = wh.table("identities")
    sizes = _records(wh, ids.group_by("customer_id").agg(records=ids.count()), "customer_id")
    methods = _grouped(wh, "identities", "method")
    return {"sizes": sizes, "methods": methods}


def _kpis(wh: Warehouse) -> dict[str, Any]:
    """Every KPI per month (retention and churn need periods); NPS and CSAT over the whole
    scope and by team."""
    out: dict[str, Any] = {}
    for name in KPIS:
        out[f"{name}_by_month"] = kpi_report(wh, name, period="month").model_dump(mode="json")
    for name in ("nps", "csat"):
        out[name] = kpi_report(wh, name).model_dump(mode="json")
        out[f"{name}_by_team"] = kpi_report(wh, name, by="team").model_dump(mode="json")
    return out


def _value_chain(wh: Warehouse, settings: Settings) -> dict[str, Any]:
    """The team × month cells the engine computes, and the PLS paths fitted on them (monthly,
    with lower minimums and a 14-day follow-up: the small company has too few complete
    team-quarters to fit)."""
    chain = load_chain_file(Path(settings.project) / CHAIN_FILE)
    small = {"period": "month", "min_feedback": 1, "min_pulses": 1, "follow_up_days": 14}
    chain = chain.model_copy(update=small)
    table = team_period_table(wh, chain.options())
    cells = table.sort_values(["team_id", "period"]).astype(object)
    rows = [
        {k: (None if _missing(v) else v) for k, v in row.items()}
        for row in cells.to_dict(orient="records")
    ]
    try:
        fit = fit_chain(table, chain, bootstrap_resamples=0).model_dump(mode="json")
    except DataError as exc:  # recorded: the engines must then fail alike
        fit = {"error": str(exc)}
    return {"cells": rows, "fit": fit}


def _pages(settings: Settings, wh: Warehouse) -> dict[str, int]:
    """The HTTP status of every dashboard page in the navigation, for a signed-in admin."""
    add_user(wh, "conformance@example.com", "conformance-Pa55word", "admin")
    with TestClient(create_app(settings, warehouse=wh), raise_server_exceptions=False) as client:
        login = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', login)
        assert token is not None, "the login page has no CSRF token"
        form = {"email": "conformance@example.com", "password": "conformance-Pa55word",
                "csrf_token": token.group(1), "next": "/"}  # fmt: skip
        assert client.post("/login", data=form, follow_redirects=False).status_code == 303
        return {
            page.path: client.get(page.path).status_code for page in NAVIGATION if page.available
        }


def differences(got: Any, want: Any, path: str = "") -> list[str]:
    """Where ``got`` differs from ``want`` (nested dicts and lists; floats within the stated
    tolerance; :data:`CLOCK_FIELDS` ignored), as ``path: got != want`` lines."""
    if isinstance(want, dict) and isinstance(got, dict):
        if set(got) != set(want):
            return [f"{path}: keys {sorted(set(got) ^ set(want))} differ"]
        return [
            line
            for key in want
            if key not in CLOCK_FIELDS
            for line in differences(got[key], want[key], f"{path}.{key}")
        ]
    if isinstance(want, list | tuple) and isinstance(got, list | tuple):
        if len(got) != len(want):
            return [f"{path}: {len(got)} items != {len(want)}"]
        return [
            line
            for i, (g, w) in enumerate(zip(got, want, strict=True))
            for line in differences(g, w, f"{path}[{i}]")
        ]
    if _number(got) and _number(want) and (isinstance(got, float) or isinstance(want, float)):
        g, w = float(got), float(want)
        if math.isnan(g) and math.isnan(w):
            return []
        if math.isclose(g, w, rel_tol=REL_TOL, abs_tol=ABS_TOL):
            return []
    elif got == want:
        return []
    return [f"{path}: {got!r} != {want!r}"]


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
