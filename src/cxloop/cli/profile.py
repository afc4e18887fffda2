"""``cxloop profile ID|EMAIL``: one customer's 360 profile."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from cxloop.cli.output import console, print_json
from cxloop.project import open_project_warehouse

if TYPE_CHECKING:
    from cxloop.unify.profile import CustomerProfile, TimelineItem

DEFAULT_EVENTS = 20


def profile_command(
    ctx: typer.Context,
    reference: Annotated[
        str,
        typer.Argument(
            metavar="ID|EMAIL",
            help="A customer id (cus_…), an e-mail address, or a source record as "
            "source:source_id.",
        ),
    ],
    events: Annotated[
        int,
        typer.Option(
            "--events", "-n", min=0, max=1000, help="Timeline rows to show, newest first."
        ),
    ] = DEFAULT_EVENTS,
    json_output: Annotated[bool, typer.Option("--json", help="Print the profile as JSON.")] = False,
) -> None:
    """Show a customer: golden record, source records, identities, figures and timeline."""
    from cxloop.cli.main import settings_from
    from cxloop.understand.segments import profile_with_segments

    settings = settings_from(ctx)
    with open_project_warehouse(settings) as wh:
        profile = profile_with_segments(wh, settings, reference, timeline_limit=events)
    if json_output:
        print_json(profile)
        return
    print_profile(profile)


def _text(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return "—" if value is None or value == "" else escape(str(value))


def print_profile(profile: CustomerProfile) -> None:
    """The profile as Rich panels and tables."""
    golden = profile.golden_record
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    for label, value in (
        ("customer id", golden.customer_id),
        ("e-mail", golden.email),
        ("phone", golden.phone),
        ("birth date", golden.birth_date),
        ("address", " · ".join(str(v) for v in (golden.address, golden.postcode, golden.city)
                               if v)),
        ("country", golden.country),
        ("language", golden.language),
        ("first seen", golden.first_seen),
        ("last seen", golden.last_seen),
    ):  # fmt: skip
        facts.add_row(label, _text(value or None))
    for key, value in golden.attributes.items():
        facts.add_row(escape(key), _text(value))
    title = escape(golden.name or golden.customer_id)
    console.print(Panel(facts, title=f"[bold]{title}[/]", title_align="left"))

    summary = profile.summary
    figures = Table(box=None, show_header=False)
    revenue = ", ".join(f"{r.amount:,.2f} {r.currency or ''}".strip() for r in summary.revenue)
    figures.add_row("orders", f"{summary.orders:,}", "revenue", escape(revenue) or "—")
    figures.add_row("feedback", f"{summary.feedback:,}", "events", f"{summary.events:,}")
    figures.add_row(
        "survey responses", f"{summary.survey_responses:,}", "cases", f"{summary.cases:,}"
    )
    nps = summary.latest_nps
    csat = summary.latest_csat
    figures.add_row(
        "latest NPS", _text(nps.value if nps else None),
        "latest CSAT", _text(csat.value if csat else None),
    )  # fmt: skip
    scores = profile.clv
    if scores is not None:
        clv = "—" if scores.clv is None else f"{scores.clv:,.2f} {scores.currency or ''}".strip()
        figures.add_row(
            f"CLV, {scores.horizon_months} months", escape(clv),
            "P(alive)", f"{scores.probability_alive:.0%}",
        )  # fmt: skip
        figures.add_row(
            "expected purchases", f"{scores.expected_purchases:.1f}",
            "CLV model date", _text(scores.scored_at),
        )  # fmt: skip
    churn = profile.churn
    if churn is not None:
        reasons = "; ".join(r.text for r in churn.reasons) or "—"
        figures.add_row(
            f"churn risk, {churn.horizon_days} days", f"{churn.risk:.0%}",
            "churn reasons", escape(reasons),
        )  # fmt: skip
    elif profile.churn_no_basis is not None:
        basis = profile.churn_no_basis
        figures.add_row(
            "churn risk", "no basis",
            "why", f"no order in the {basis.active_days} days up to {_text(basis.cutoff)}",
        )  # fmt: skip
    console.print(Panel(figures, title="summary", title_align="left"))
    _print_segments(profile)

    _print_records(profile)
    identities = Table("record", "method", "probability", "resolved", title="identities")
    for identity in profile.identities:
        p = identity.match_probability
        identities.add_row(
            escape(identity.record_id),
            _text(identity.method),
            "—" if p is None else f"{p:.3f}",
            _text(identity.resolved_at),
        )
    console.print(identities)

    timeline = profile.timeline
    shown = len(timeline.items)
    table = Table(
        "time (UTC)", "kind", "what", "details",
        title=f"timeline ({shown:,} of {timeline.total:,}, newest first)",
    )  # fmt: skip
    for item in timeline.items:
        table.add_row(_text(item.ts), item.kind, _text(item.title), _details(item))
    console.print(table)


def _print_segments(profile: CustomerProfile) -> None:
    """Segments (with since-when), lifecycle stage, ladder rung and RFM segment."""
    standing = profile.segments
    if standing is None:
        return
    grid = Table(box=None, show_header=False)
    rfm = f"{standing.rfm} ({standing.rfm_score})" if standing.rfm else None
    grid.add_row("lifecycle", _text(standing.lifecycle), "ladder", _text(standing.ladder))
    grid.add_row("RFM", _text(rfm), "referrals", f"{standing.referrals:,}")
    for member in standing.segments:
        label = member.name or member.segment_id
        grid.add_row("segment", escape(label), "since", _text(member.since))
    if not standing.segments:
        grid.add_row("segments", "none", "", "")
    title = f"segments (as of {standing.as_of:%Y-%m-%d %H:%M} UTC)"
    console.print(Panel(grid, title=title, title_align="left"))


def _print_records(profile: CustomerProfile) -> None:
    from cxloop.unify.profile import COMPARED_FIELDS

    records = profile.source_records
    table = Table("field", *(escape(r.record_id) for r in records), title="source records")
    differing = set(profile.differing_fields)
    for name in COMPARED_FIELDS:
        values = [getattr(r, name) for r in records]
        if all(v is None for v in values):
            continue
        label = f"[yellow]{name} ≠[/]" if name in differing else name
        table.add_row(label, *(_text(v) for v in values))
    console.print(table)
    if differing:
        console.print("[yellow]≠[/] the sources disagree on this field")


def _details(item: TimelineItem) -> str:
    parts = []
    if item.amount is not None:
        parts.append(f"{item.amount:,.2f} {item.currency or ''}".strip())
    for name in ("nps", "csat", "ces", "rating"):
        value = getattr(item, name)
        if value is not None:
            parts.append(f"{name.upper()} {value}")
    if item.status:
        parts.append(item.status)
    if item.text:
        text = item.text if len(item.text) <= 80 else item.text[:79] + "…"
        parts.append(f"“{text}”")
    return escape(" · ".join(parts)) or "—"
