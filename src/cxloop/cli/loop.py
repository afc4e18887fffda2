"""``cxloop loop run|rules|metrics``: run the closed loop's rules, escalations and closing on
demand, and measure the loop."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cxloop.cli.errors import report_errors
from cxloop.cli.output import console, print_json
from cxloop.errors import UsageError
from cxloop.project import open_project_warehouse

loop_app = typer.Typer(
    help="The closed loop: case rules from rules/*.yaml open cases, breached SLAs escalate.",
    no_args_is_help=True,
)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def parse_moment(value: str, option: str) -> datetime:
    """A date (``2026-11-30``, midnight UTC) or an ISO time; UTC when it names no zone."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"{option} {value!r}: expected a date (YYYY-MM-DD) or an ISO time"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@loop_app.command("run")
@report_errors
def run_command(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option(
            help="Read feedback given from this date or time (default: the last "
            "loop_max_feedback_age_days days)."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would happen; write nothing.")
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Evaluate the rules on feedback and open cases (one open case per customer and topic),
    escalate cases past their SLA to the team lead, close cases resolved long ago; then send
    the notifications that are due (notifications.yaml)."""
    import os

    from cxloop.act.loop import LoopOptions, run_loop
    from cxloop.act.notify_config import load_notify_config
    from cxloop.act.notify_dispatch import dispatch
    from cxloop.act.notify_outbox import Notifier
    from cxloop.act.notify_service import mail_transport
    from cxloop.act.rules import load_rules
    from cxloop.cli.main import settings_from

    settings = settings_from(ctx)
    start = parse_moment(since, "--since") if since else None
    rules = load_rules(settings.project)
    config = load_notify_config(settings, os.environ)
    notifier = Notifier(config) if config.active else None
    sent = None
    with open_project_warehouse(settings) as wh:
        report = run_loop(
            wh, rules, options=LoopOptions.from_settings(settings), since=start,
            dry_run=dry_run, notifier=notifier,
        )  # fmt: skip
        if not dry_run:
            sent = dispatch(wh, config, transport=mail_transport(settings))
    if json_output:
        data = report.model_dump(mode="json")
        data["notifications"] = sent.as_dict() if sent is not None else None
        print_json(data)
        return
    verb = "would open" if dry_run else "opened"
    console.print(
        f"{len(rules)} rule(s) read {report.feedback_considered:,} piece(s) of feedback"
        + (f" since {report.since:%Y-%m-%d %H:%M}" if report.since else "")
        + f": {verb} {len(report.opened):,} case(s), {report.skipped_duplicates:,} matched a "
        "customer's open case on the same topic"
    )
    if report.opened:
        table = Table("case", "rule", "customer", "team", "priority", "due", box=None)
        for case in report.opened[:50]:
            table.add_row(
                case.case_id, escape(case.rule_id), escape(case.customer_id),
                escape(case.team_id or "—"), case.priority, f"{case.due_at:%Y-%m-%d %H:%M}",
            )  # fmt: skip
        console.print(table)
        if len(report.opened) > 50:
            console.print(f"… and {len(report.opened) - 50:,} more (--json lists them all)")
    esc = "would escalate" if dry_run else "escalated"
    close = "would close" if dry_run else "closed"
    console.print(f"{esc} {len(report.escalated):,} case(s); {close} {len(report.closed):,}")
    if sent is not None and (sent.sent or sent.failed or sent.waiting):
        console.print(
            f"notifications: {len(sent.sent):,} sent, {len(sent.failed):,} tries failed, "
            f"{sent.waiting:,} waiting (quiet hours or backoff); see cxloop notify deliveries"
        )


@loop_app.command("rules")
@report_errors
def rules_command(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Check every rule file (a mistake names the file and line) and list the rules."""
    from cxloop.act.rules import load_rules
    from cxloop.cli.main import settings_from

    settings = settings_from(ctx)
    rules = load_rules(settings.project, enabled_only=False)
    if json_output:
        print_json([r.definition.model_dump(mode="json") for r in rules])
        return
    table = Table("id", "enabled", "when", "topic", "team", "priority", "SLA h", box=None)
    for rule in rules:
        d = rule.definition
        table.add_row(
            escape(d.id), "yes" if d.enabled else "no", escape(" ".join(d.when.split())),
            escape(d.then.topic), escape(d.then.team)
            + (f" (+{len(d.then.routes)} routes)" if d.then.routes else ""),
            d.then.priority, f"{d.then.sla_hours:g}",
        )  # fmt: skip
    console.print(table)
    if not rules:
        console.print(f"no rules in {escape(str(settings.project / 'rules'))}")


def _date_option(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None


def _share(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _num(value: float | None, places: int = 1) -> str:
    return "—" if value is None else f"{value:.{places}f}"


@loop_app.command("metrics")
@report_errors
def metrics_command(
    ctx: typer.Context,
    team: Annotated[str | None, typer.Option(help="One team's metrics (a team id).")] = None,
    since: Annotated[str | None, typer.Option(help="First day (YYYY-MM-DD), included.")] = None,
    until: Annotated[str | None, typer.Option(help="Last day (YYYY-MM-DD), excluded.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Closed-loop metrics: detractors contacted within SLA, time to close (Kaplan-Meier, open
    cases censored), NPS change after resolution, and contacted vs matched not-contacted
    detractors (retention within 90 days, later NPS)."""
    from cxloop.cli.main import settings_from
    from cxloop.understand.closed_loop import loop_metrics

    settings = settings_from(ctx)
    start, end = _date_option(since, "--since"), _date_option(until, "--until")
    if start is not None and end is not None and end <= start:
        raise UsageError(f"--until ({end}) must be after --since ({start})")
    with open_project_warehouse(settings) as wh:
        m = loop_metrics(wh, team=team, since=start, until=end, small_n=settings.kpi_small_n)
    if json_output:
        print_json(m)
        return
    flag = " ⚠ small n"
    c, t, after = m.contact_within_sla, m.time_to_close, m.nps_after_resolution
    scope = f"team {escape(team)}" if team else "company"
    console.print(f"[bold]Closed loop[/bold] ({scope})")
    if c is None:
        console.print("contacted within SLA: no detractor answers")
    else:
        console.print(
            f"contacted within SLA: {_share(c.value)} (95% CI {_share(c.ci_low)} to "
            f"{_share(c.ci_high)}) of {c.n:,} detractor answers" + (flag if c.small_n else "")
        )
    if t is None:
        console.print("time to close: no cases")
    else:
        console.print(
            f"time to close (median): {_num(t.value)} h (95% CI {_num(t.ci_low)} to "
            f"{_num(t.ci_high)} h), {t.n:,} cases of which {t.n - (t.events or 0):,} still "
            "open (censored)" + (flag if t.small_n else "")
        )
    console.print(
        f"score after resolution: {_num(after.before)} → {_num(after.after)} (change "
        f"{_num(after.change, 2)}, 95% CI {_num(after.ci_low, 2)} to {_num(after.ci_high, 2)}), "
        f"{after.n:,} customers answered again" + (flag if after.small_n else "")
    )
    table = Table("outcome", "contacted", "not contacted", "difference", "95% CI", "pairs",
                  box=None, title="Contacted vs matched not-contacted detractors",
                  title_justify="left")  # fmt: skip
    for e in m.effects:
        fmt = _share if e.outcome == "retention_90d" else _num
        table.add_row(
            e.outcome, fmt(e.contacted), fmt(e.not_contacted), fmt(e.difference),
            f"{fmt(e.ci_low)} to {fmt(e.ci_high)}", f"{e.pairs:,}" + (flag if e.small_n else ""),
        )  # fmt: skip
    console.print(table)
    console.print(
        f"Matched exactly on {', '.join(m.matched_on)}. Observational, not an experiment: "
        "differences in anything not matched on can remain."
    )
