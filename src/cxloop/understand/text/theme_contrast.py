"""What unhappy customers talk about: each theme's share among NPS detractors against its share
among promoters, with a significance test.

For every theme, the 2×2 table (detractors / promoters × mention it / do not) is tested with
Fisher's exact test (two-sided), which is exact at any sample size; the p-values are then
adjusted across themes with the Benjamini–Hochberg procedure, so that testing twenty themes
does not turn up one "significant" theme by chance. Small samples are flagged, never hidden.

:func:`theme_mentions_expr` and :func:`nps_groups_expr` only build Ibis expressions;
:func:`compare_themes` is pure arithmetic on the counts they return.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal

import ibis
import ibis.expr.types as ir
from pydantic import BaseModel, Field
from scipy import stats

#: below this many analysed detractors or promoters, every result is flagged as a small sample
MIN_GROUP = 30
#: below this many mentions (detractors and promoters together), a theme is flagged
MIN_MENTIONS = 5
ALPHA = 0.05
TEST_NAME = "Fisher's exact test (two-sided), Benjamini-Hochberg adjusted across themes"

Verdict = Literal["detractors", "promoters", "no_difference", "too_few"]


class ThemeComparison(BaseModel):
    """One theme among detractors and among promoters."""

    theme: str
    detractors: int = Field(description="Detractors' pieces of feedback that mention the theme.")
    promoters: int = Field(description="Promoters' pieces of feedback that mention the theme.")
    detractor_share: float | None = Field(description="Share of detractors mentioning it.")
    promoter_share: float | None = Field(description="Share of promoters mentioning it.")
    difference: float | None = Field(description="Detractor share minus promoter share.")
    odds_ratio: float | None = Field(
        description="Sample odds ratio (detractors against promoters); null when infinite."
    )
    p_value: float | None = Field(description="Fisher's exact test, two-sided.")
    p_adjusted: float | None = Field(description="Benjamini-Hochberg adjusted p-value.")
    significant: bool = Field(description="Adjusted p-value below alpha.")
    small_sample: bool = Field(
        description=f"Fewer than {MIN_GROUP} detractors or promoters, or fewer than "
        f"{MIN_MENTIONS} mentions: read with care."
    )
    verdict: Verdict = Field(
        description="Who talks about it more (detractors, promoters), no_difference, or "
        "too_few answers to tell."
    )


class ThemeContrast(BaseModel):
    """Every theme compared between detractors and promoters, most "unhappy" first."""

    detractors: int = Field(description="Analysed pieces of feedback with NPS 0-6.")
    promoters: int = Field(description="Analysed pieces of feedback with NPS 9-10.")
    alpha: float = ALPHA
    test: str = TEST_NAME
    small_sample: bool = Field(description=f"Fewer than {MIN_GROUP} in either group.")
    themes: list[ThemeComparison]

    def leading(self) -> ThemeComparison | None:
        """The theme detractors mention significantly more than promoters, by the widest
        margin; ``None`` if there is none."""
        found = [t for t in self.themes if t.verdict == "detractors"]
        return found[0] if found else None


def nps_group(nps: ir.IntegerValue) -> ir.StringValue:
    """``detractor`` (0–6), ``passive`` (7–8) or ``promoter`` (9–10)."""
    return ibis.cases((nps <= 6, "detractor"), (nps >= 9, "promoter"), else_="passive")


def nps_groups_expr(table: ir.Table) -> ir.Table:
    """Analysed feedback with an NPS, counted per group: columns ``nps_group``, ``n``.

    ``table`` needs the columns ``nps`` and ``analysed`` (non-null where the feedback has
    insights)."""
    scored = table.filter(table.analysed.notnull(), table.nps.notnull())
    return scored.group_by(nps_group=nps_group(scored.nps)).aggregate(n=scored.count())


def theme_list(themes: ir.StringValue) -> ir.ArrayValue:
    """The stored JSON list of theme names as an array of strings (null if not a list)."""
    return themes.try_cast("json").array.map(lambda x: x.str)


def themes_by_group_expr(table: ir.Table, *groups: str) -> ir.Table:
    """Pieces of feedback per theme and per value of the ``groups`` columns: columns
    ``*groups``, ``theme``, ``n`` (a theme counted once per piece of feedback).

    ``table`` needs ``themes`` (the stored JSON list). Rows are first counted per distinct
    JSON text, so each distinct list is parsed once, not once per row: feedback repeats a
    few combinations of themes, and parsing is what costs."""
    combos = table.group_by("themes", *groups).aggregate(n=table.count())
    parsed = combos.select(*groups, "n", theme=theme_list(combos.themes).unique().unnest())
    parsed = parsed.filter(parsed.theme.notnull())
    return parsed.group_by(*groups, "theme").aggregate(n=parsed.n.sum())


def theme_mentions_expr(table: ir.Table) -> ir.Table:
    """Detractors' and promoters' pieces of feedback per theme: columns ``nps_group``,
    ``theme``, ``n`` (a theme counted once per piece of feedback).

    ``table`` needs ``nps``, ``analysed`` and ``themes`` (the stored JSON list)."""
    scored = table.filter(table.analysed.notnull(), table.nps.notnull(), table.nps.notin([7, 8]))
    grouped = scored.select("themes", nps_group=nps_group(scored.nps))
    return themes_by_group_expr(grouped, "nps_group")


def compare_themes(
    mentions: Mapping[str, tuple[int, int]],
    detractors: int,
    promoters: int,
    *,
    alpha: float = ALPHA,
) -> ThemeContrast:
    """Test, theme by theme, whether detractors mention it more (or less) than promoters.

    Parameters
    ----------
    mentions
        For each theme: (detractors mentioning it, promoters mentioning it).
    detractors, promoters
        How many detractors and promoters there are in all (the denominators).
    alpha
        The false discovery rate the adjusted p-values are held to.

    Returns
    -------
    ThemeContrast
        Themes ordered by the difference in share (detractors' most distinctive first).

    Examples
    --------
    >>> result = compare_themes({"price": (30, 5)}, detractors=60, promoters=50)
    >>> result.themes[0].verdict, round(result.themes[0].difference, 2)
    ('detractors', 0.4)
    """
    if detractors < 0 or promoters < 0:
        raise ValueError("group sizes cannot be negative")
    small_groups = detractors < MIN_GROUP or promoters < MIN_GROUP
    rows: list[dict[str, object]] = []
    for theme, (in_detractors, in_promoters) in mentions.items():
        if not (0 <= in_detractors <= detractors and 0 <= in_promoters <= promoters):
            raise ValueError(f"theme {theme!r}: more mentions than pieces of feedback")
        row: dict[str, object] = {
            "theme": theme,
            "detractors": in_detractors,
            "promoters": in_promoters,
            "detractor_share": in_detractors / detractors if detractors else None,
            "promoter_share": in_promoters / promoters if promoters else None,
            "small_sample": small_groups or in_detractors + in_promoters < MIN_MENTIONS,
            "odds_ratio": None,
            "p_value": None,
        }
        if detractors and promoters:
            table = [
                [in_detractors, detractors - in_detractors],
                [in_promoters, promoters - in_promoters],
            ]
            result = stats.fisher_exact(table, alternative="two-sided")
            odds = float(result.statistic)
            row["odds_ratio"] = odds if math.isfinite(odds) else None
            row["p_value"] = min(1.0, float(result.pvalue))
            row["difference"] = in_detractors / detractors - in_promoters / promoters
        rows.append(row)
    tested = [row for row in rows if row["p_value"] is not None]
    if tested:
        adjusted = stats.false_discovery_control([row["p_value"] for row in tested], method="bh")
        for row, value in zip(tested, adjusted, strict=True):
            row["p_adjusted"] = min(1.0, float(value))
    comparisons = [_comparison(row, alpha) for row in rows]
    comparisons.sort(key=lambda c: (-(c.difference or 0.0), c.theme))
    return ThemeContrast(
        detractors=detractors,
        promoters=promoters,
        alpha=alpha,
        small_sample=small_groups,
        themes=comparisons,
    )


def _comparison(row: dict[str, object], alpha: float) -> ThemeComparison:
    adjusted = row.get("p_adjusted")
    difference = row.get("difference")
    significant = isinstance(adjusted, float) and adjusted < alpha
    verdict: Verdict
    if significant and isinstance(difference, float) and difference != 0:
        verdict = "detractors" if difference > 0 else "promoters"
    elif row["small_sample"] or adjusted is None:
        verdict = "too_few"
    else:
        verdict = "no_difference"
    return ThemeComparison.model_validate(
        {**row, "p_adjusted": adjusted, "difference": difference, "significant": significant,
         "verdict": verdict}
    )  # fmt: skip
