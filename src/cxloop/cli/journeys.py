"""``cxloop journeys``: the most common paths across touchpoints, the time between steps,
drop-off, each touchpoint's satisfaction and the moments of truth."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cxloop.cli.kpi import _date
from cxloop.cli.output import console, print_json
from cxloop.project import open_project_warehouse

if TYPE_CHECKING:
    from cxloop.domain.journey import JourneyReport, TouchpointSatisfaction

ARROW = " → "


def journeys_command(
    ctx: typer.Context,
    top: Annotated[int, typer.Option("--top", min=1, max=100, help="Paths to list.")] = 10,
    since: Annotated[
        str | None, typer.Option("--since", help="First day (YYYY-MM-DD), included.")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Paths across touchpoints, time between steps, drop-off, satisfaction per touchpoint and
    the moments of truth (the touchpoints whose bad experiences cost most NPS), with 95%
    intervals."""
    from cxloop.cli.main import settings_from
    from cxloop.understand.journeys import journey_options, journey_report

    settings = settings_from(ctx)
    options = journey_options(settings, since=_date(since, "--since"), top=top)
    with (
        open_project_warehouse(settings) as wh,
        console.status("following the journeys…", spinner="dots"),
    ):
        report = journey_report(wh, options)
    if json_output:
        print_json(report)
        return
    print_journeys(report)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _hours(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f} h" if value < 48 else f"{value / 24:.1f} d"


def _points(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f}"


def print_journeys(report: JourneyReport) -> None:
    """The report as Rich tables."""
    if not report.journeys:
        console.print(
            "no journeys yet: import events or feedback with a customer and a touchpoint "
            "(see docs/journeys.md)"
        )
        return
    console.print(
        f"{report.journeys:,} journeys of {report.customers:,} customers "
        f"(a journey ends after {report.gap_days:g} days without a touchpoint)"
    )
    paths = Table("path", "journeys", "share", title="most common paths", title_justify="left")
    for path in report.paths:
        steps = ARROW.join(escape(s) for s in path.steps) + (ARROW + "…" if path.continues else "")
        paths.add_row(steps, f"{path.journeys:,}", _pct(path.share))
    console.print(paths)
    times = Table("from", "to", "journeys", "median", "IQR", title="time between steps",
                  title_justify="left")  # fmt: skip
    for t in report.transitions[:15]:
        iqr = f"{_hours(t.q1_hours)}–{_hours(t.q3_hours)}"
        times.add_row(escape(t.source), escape(t.target), f"{t.journeys:,}",
                      _hours(t.median_hours), iqr)  # fmt: skip
    console.print(times)
    ends = Table("touchpoint", "visits", "journeys ending here", "exit rate", "share of ends",
                 title="drop-off", title_justify="left")  # fmt: skip
    for d in report.drop_off:
        ends.add_row(escape(d.touchpoint), f"{d.visits:,}", f"{d.ended:,}", _pct(d.exit_rate),
                     _pct(d.share_of_ends))  # fmt: skip
    console.print(ends)
    print_moments(report)


def print_moments(report: JourneyReport) -> None:
    """Satisfaction per touchpoint and the moments-of-truth ranking."""
    sat = {s.touchpoint: s for s in report.satisfaction}
    mot = report.moments_of_truth
    table = Table(
        "rank", "touchpoint", "NPS effect of a bad experience (95% CI)", "exposed answers",
        "CSAT (95% CI)", "satisfied", title="moments of truth", title_justify="left",
    )  # fmt: skip
    seen = set()
    for m in mot.touchpoints:
        seen.add(m.touchpoint)
        effect = _points(m.effect)
        if m.ci_low is not None and m.ci_high is not None:
            effect += f" ({m.ci_low:+.2f} to {m.ci_high:+.2f})"
        s = sat.get(m.touchpoint)
        table.add_row(
            str(m.rank) if m.rank else ("small n" if m.small_n else "—"), escape(m.touchpoint),
            effect, f"{m.exposed:,}", _csat(s), _pct(s.satisfied if s else None),
        )  # fmt: skip
    for s in report.satisfaction:
        if s.touchpoint not in seen:
            table.add_row("—", escape(s.touchpoint), "—", "0", _csat(s), _pct(s.satisfied))
    console.print(table)
    console.print(
        f"{mot.responses:,} NPS answers of {mot.customers:,} customers; a bad experience is "
        f"one of the events {', '.join(escape(e) for e in mot.bad_events) or '(none set)'} in "
        f"the {mot.lookback_days} days before the answer. {escape(mot.model)}."
    )


def _csat(s: TouchpointSatisfaction | None) -> str:
    if s is None or s.mean is None:
        return "—"
    interval = ""
    if s.mean_ci_low is not None and s.mean_ci_high is not None:
        interval = f" ({s.mean_ci_low:.2f}–{s.mean_ci_high:.2f})"
    return f"{s.mean:.2f}{interval} n={s.n}" + (" small n" if s.small_n else "")
