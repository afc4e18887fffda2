"""The perception gap from statement answers: shares agreeing, means, intervals and the test.

Pure: a DataFrame of answers in (see :func:`cxloop.understand.perception_gap.answers.
statement_answers`), a :class:`~cxloop.domain.perception_gap.GapReport` out.

- Each respondent counts once per statement and scope: their latest answer (an employee who
  answered every quarter is one person, not four observations).
- Share agreeing = answers of 4 or 5 / respondents, with a Wilson 95% interval; the mean with a
  Student t 95% interval.
- Managers vs customers, and other employees vs customers: Fisher's exact test (two-sided) on
  the 2×2 table agree / not agree, exact at the small n of a team's managers; Benjamini–Hochberg
  across every test of the report (statements × scopes × both comparisons), so a page of 8
  teams × 5 statements does not light up by chance.
- Employee groups (managers, employees) smaller than ``min_group_n`` respondents are withheld
  (:mod:`cxloop.understand.confidentiality`); no test is run against a withheld group.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd
from scipy import stats

from cxloop.domain.perception_gap import GROUPS, GapCell, GapReport, GapRow, Group
from cxloop.understand.confidentiality import DEFAULT_MIN_GROUP_N, suppressed_groups
from cxloop.understand.kpi import statistics as st

AGREE_FROM = 4
ALPHA = 0.05
TEST = "Fisher's exact test (two-sided) of the share agreeing, managers (and other employees) vs "
TEST += "customers; Benjamini-Hochberg q across statements x scopes x both comparisons"
CONFIDENTIAL_GROUPS: tuple[Group, ...] = ("managers", "employees")
COMPANY = "\x00company"  # the scope key of company-wide cells (a team id cannot be this)


def _latest(answers: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    ordered = answers.sort_values("ts", kind="stable")
    return ordered.drop_duplicates([*keys, "respondent"], keep="last")


def _cells(answers: pd.DataFrame, by_team: bool) -> pd.DataFrame:
    """Sufficient statistics per (statement_id, group, scope)."""
    parts = [_latest(answers, ["statement_id", "group"]).assign(scope=COMPANY)]
    if by_team:
        teamed = answers[answers["team_id"].notna()]
        parts.append(_latest(teamed, ["statement_id", "group", "team_id"]).assign(
            scope=teamed["team_id"] if len(teamed) else None
        ))  # fmt: skip
    rows = pd.concat(parts, ignore_index=True)
    value = rows["value"].astype(float)
    rows = rows.assign(agree=(value >= AGREE_FROM).astype(int), value=value, sq=value * value)
    return (
        rows.groupby(["statement_id", "group", "scope"], sort=False)
        .agg(n=("respondent", "size"), agree=("agree", "sum"), total=("value", "sum"),
             total_sq=("sq", "sum"))
        .reset_index()
    )  # fmt: skip


def _hidden(cells: pd.DataFrame, min_group_n: int) -> dict[tuple[str, str, str], str]:
    """Withheld employee cells: the company cell on its own, the teams of one statement and
    group together (their total, the company cell, is shown beside them)."""
    hidden: dict[tuple[str, str, str], str] = {}
    employee_cells = cells[cells["group"].isin(CONFIDENTIAL_GROUPS)]
    for (statement, group), part in employee_cells.groupby(["statement_id", "group"], sort=False):
        sizes = dict(zip(part["scope"], part["n"].astype(int), strict=True))
        company = {COMPANY: sizes.pop(COMPANY, 0)}
        for scope_sizes, total in ((company, False), (sizes, True)):
            for scope, reason in suppressed_groups(scope_sizes, min_group_n,
                                                   total_shown=total).items():  # fmt: skip
                hidden[(str(statement), str(group), str(scope))] = reason
    return hidden


def _cell(group: Group, stats_row: Mapping[str, float] | None, reason: str | None) -> GapCell:
    if stats_row is None:
        return GapCell(group=group, n=0)
    n = int(stats_row["n"])
    if reason is not None:
        return GapCell(group=group, n=n, suppressed=reason)  # type: ignore[arg-type]
    agree, total, total_sq = int(stats_row["agree"]), stats_row["total"], stats_row["total_sq"]
    low, high = st.wilson_interval(agree, n)
    mean_low, mean_high = st.mean_interval(n, total, total_sq)
    return GapCell(
        group=group, n=n, agree=agree, share=agree / n, share_ci_low=low, share_ci_high=high,
        mean=total / n, mean_ci_low=_num(mean_low), mean_ci_high=_num(mean_high),
    )  # fmt: skip


def _num(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def fisher_p_value(group: GapCell, customers: GapCell) -> float | None:
    """Two-sided Fisher's exact test of the shares agreeing (None when either is withheld)."""
    if group.agree is None or customers.agree is None or not group.n or not customers.n:
        return None
    table = [
        [group.agree, group.n - group.agree],
        [customers.agree, customers.n - customers.agree],
    ]
    return float(stats.fisher_exact(table, alternative="two-sided").pvalue)


def _difference(group: GapCell, customers: GapCell) -> float | None:
    if group.share is None or customers.share is None:
        return None
    return group.share - customers.share


def _adjust(rows: list[GapRow]) -> None:
    """Benjamini–Hochberg over every test of the report, both comparisons in one family."""
    tests = [(row, "") for row in rows if row.p_value is not None]
    tests += [(row, "employees_") for row in rows if row.employees_p_value is not None]
    p_values = [getattr(row, f"{prefix}p_value") for row, prefix in tests]
    for (row, prefix), q in zip(tests, st.benjamini_hochberg(p_values), strict=True):
        setattr(row, f"{prefix}q_value", _num(q))
        setattr(row, f"{prefix}significant", bool(not math.isnan(q) and q < ALPHA))


def perception_gap(
    answers: pd.DataFrame,
    *,
    by_team: bool = False,
    min_group_n: int = DEFAULT_MIN_GROUP_N,
    statements: Sequence[str] | None = None,
    wording: Mapping[str, tuple[str, str | None]] | None = None,
    language: str = "en",
) -> GapReport:
    """The perception gap, company-wide and (``by_team``) per team.

    Parameters
    ----------
    answers
        Columns ``statement_id``, ``group`` (managers, employees, customers), ``team_id``,
        ``respondent``, ``ts``, ``value`` (1–5).
    by_team
        Add one row per statement and team beside the company rows.
    min_group_n
        The ``survey_min_group_n`` setting: smaller employee groups are withheld.
    statements
        Statement ids in the order to show them (others follow, sorted).
    wording
        statement id → (customers' wording, employees' wording), already in ``language``.
    language
        The language of ``wording``, recorded in the report.

    Examples
    --------
    >>> rows = [("listen", "customers", "t", f"c{i}", i, 5 if i < 3 else 2) for i in range(10)]
    >>> frame = pd.DataFrame(rows, columns=["statement_id", "group", "team_id", "respondent",
    ...                                     "ts", "value"])
    >>> report = perception_gap(frame)
    >>> report.rows[0].customers.share, report.rows[0].managers.n
    (0.3, 0)
    """
    wording = wording or {}
    cells = _cells(answers, by_team) if len(answers) else None
    rows: list[GapRow] = []
    if cells is not None:
        hidden = _hidden(cells, min_group_n)
        lookup = {
            (str(r["statement_id"]), str(r["group"]), str(r["scope"])): r
            for r in cells.to_dict("records")
        }
        found = list(dict.fromkeys(cells["statement_id"].astype(str)))
        order = [s for s in (statements or []) if s in found]
        order += sorted(s for s in found if s not in order)
        teams = sorted({str(s) for s in cells["scope"]} - {COMPANY})
        for scope in [COMPANY, *teams]:
            for statement in order:
                group_cells = {
                    group: _cell(group, lookup.get((statement, group, scope)),
                                 hidden.get((statement, group, scope)))
                    for group in GROUPS
                }  # fmt: skip
                if not any(c.n for c in group_cells.values()):
                    continue
                customer_text, employee_text = wording.get(statement, (statement, None))
                managers, customers = group_cells["managers"], group_cells["customers"]
                employees = group_cells["employees"]
                rows.append(GapRow(
                    statement_id=statement, statement=customer_text or statement,
                    employee_statement=employee_text, team_id=None if scope == COMPANY else scope,
                    managers=managers, employees=employees, customers=customers,
                    gap=_difference(managers, customers),
                    p_value=fisher_p_value(managers, customers),
                    employees_gap=_difference(employees, customers),
                    employees_p_value=fisher_p_value(employees, customers),
                ))  # fmt: skip
    _adjust(rows)
    return GapReport(
        by="team" if by_team else None, language=language, min_group_n=min_group_n,
        agree_from=AGREE_FROM, test=TEST, rows=rows,
    )  # fmt: skip
