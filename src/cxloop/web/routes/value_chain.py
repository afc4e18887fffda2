"""The Value chain page: the employee → customer chain as a path diagram and tables.

The diagram is server-side SVG (:mod:`cxloop.share.valuechain_diagram`); every number in it is
also in the tables beside it. The fit comes from the app's cache (see
:func:`cxloop.api.routes.valuechain.project_value_chain`), so a page view does not refit.
"""

from __future__ import annotations

from babel.numbers import format_decimal, format_percent
from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from cxloop.api.deps import SettingsDep, Viewer, WarehouseDep
from cxloop.api.routes.valuechain import project_value_chain
from cxloop.errors import ConfigError, DataError
from cxloop.share.valuechain_diagram import path_diagram_svg
from cxloop.web.rendering import render, ui_language

router = APIRouter(include_in_schema=False)


@router.get("/value-chain")
def value_chain_page(
    request: Request, principal: Viewer, warehouse: WarehouseDep, settings: SettingsDep
) -> Response:
    ui = ui_language(request)
    _ = ui.gettext
    try:
        result = project_value_chain(request, warehouse, settings)
    except (ConfigError, DataError) as exc:
        return render(request, "value_chain.html", {"problem": exc.message, "result": None})

    def number(value: float) -> str:
        return format_decimal(value, "0.00", locale=ui.locale)

    def interval(low: float | None, high: float | None) -> str:
        return "—" if low is None or high is None else f"{number(low)} – {number(high)}"

    fit = result.fit
    svg = path_diagram_svg(
        fit, title=_("Path diagram of the value chain: each arrow with its coefficient and 95% "
                     "interval, each box with its R². The numbers are in the tables."),
        r2_label="R²", number=number,
    )  # fmt: skip
    paths = [
        {"source": p.source, "target": p.target, "coef": number(p.coef),
         "interval": interval(p.ci_low, p.ci_high),
         "significant": p.ci_low is not None and p.ci_high is not None
         and (p.ci_low > 0 or p.ci_high < 0)}
        for p in fit.paths
    ]  # fmt: skip
    constructs = [
        {"name": c.name, "indicators": ", ".join(c.indicators),
         "r2": "—" if c.r2 is None else number(c.r2),
         "r2_interval": interval(c.r2_ci_low, c.r2_ci_high),
         "communality": number(c.communality)}
        for c in fit.constructs
    ]  # fmt: skip
    outcomes = [
        {"name": o.outcome, "effect": number(o.total_effect),
         "interval": interval(o.ci_low, o.ci_high),
         "share": format_percent(o.explained_share, "#,##0.0%", locale=ui.locale)}
        for o in result.outcomes
    ]  # fmt: skip
    summary = {
        "cases": ui.format_number(result.cases), "teams": ui.format_number(result.teams),
        "periods": ui.format_number(result.periods), "since": result.since, "until": result.until,
        "resamples": ui.format_number(fit.bootstrap), "gof": number(fit.gof),
    }  # fmt: skip
    return render(
        request,
        "value_chain.html",
        {
            "problem": None, "result": result, "svg": Markup(svg), "paths": paths,
            "constructs": constructs, "outcomes": outcomes, "summary": summary,
            "unit_quarter": result.unit.endswith("quarter"), "engagement": result.engagement,
        },
    )  # fmt: skip
