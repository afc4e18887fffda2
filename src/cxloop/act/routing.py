"""Routing a case to its owning team: a rule's routing table, then its default team.

A route's team, or the rule's ``team``, may be ``touchpoint``: the team the feedback names
(``feedback.team_id``), else the team that owns the feedback's touchpoint (``teams``; where
several teams own one touchpoint, the first by id).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from cxloop.domain.case import TOUCHPOINT_TEAM
from cxloop.storage import Warehouse
from cxloop.understand.segments.rule_compiler import CheckedRule


def route_column(
    features: ir.Table, routes: list[tuple[CheckedRule, str]], default: str
) -> ir.StringValue:
    """The team a row goes to, as written in the rule (``touchpoint`` not yet resolved):
    the first route whose condition holds, else ``default``."""
    if not routes:
        return ibis.literal(default)
    branches = [(rule.predicate(features), ibis.literal(team)) for rule, team in routes]
    return ibis.cases(*branches, else_=ibis.literal(default))  # type: ignore[no-any-return]


def touchpoint_owners(warehouse: Warehouse) -> dict[str, str]:
    """touchpoint → the team that owns it (the first by id where several do)."""
    teams = warehouse.table("teams")
    rows = warehouse.to_pyarrow(
        teams.filter(teams.touchpoint.notnull())
        .group_by("touchpoint")
        .aggregate(team_id=teams.team_id.min())
    ).to_pylist()
    return {row["touchpoint"]: row["team_id"] for row in rows}


def resolve_team(
    routed: str, feedback_team: str | None, touchpoint: str | None, owners: dict[str, str]
) -> str | None:
    """The team id a case goes to; None when ``touchpoint`` routing finds no team."""
    if routed != TOUCHPOINT_TEAM:
        return routed
    if feedback_team:
        return feedback_team
    return owners.get(touchpoint or "")


def team_leads(warehouse: Warehouse) -> dict[str, str]:
    """team id → the e-mail of its manager (the team lead cases escalate to)."""
    teams = warehouse.table("teams")
    staff = warehouse.table("employees")
    joined = teams.join(staff, teams.manager_employee_id == staff.employee_id)
    rows = warehouse.to_pyarrow(
        joined.filter(joined.email.notnull()).select("team_id", "email")
    ).to_pylist()
    return {row["team_id"]: row["email"] for row in rows}


def team_names(warehouse: Warehouse) -> dict[str, str]:
    """team id → its name (the id where it has none), sorted by name."""
    teams = warehouse.table("teams")
    rows = warehouse.to_pyarrow(teams.select("team_id", "name")).to_pylist()
    named = {row["team_id"]: row["name"] or row["team_id"] for row in rows if row["team_id"]}
    return dict(sorted(named.items(), key=lambda item: item[1].casefold()))


def team_of(warehouse: Warehouse, email: str) -> str | None:
    """The team of the employee with this e-mail (any case), if there is one."""
    staff = warehouse.table("employees")
    rows = warehouse.to_pyarrow(
        staff.filter(staff.email.lower() == email.strip().lower()).select("team_id").limit(1)
    ).to_pylist()
    return rows[0]["team_id"] if rows else None
