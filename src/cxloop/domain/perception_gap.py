"""The perception gap: how managers, other employees and customers rate the same statements."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Group = Literal["managers", "employees", "customers"]
GROUPS: tuple[Group, ...] = ("managers", "employees", "customers")


class GapCell(BaseModel):
    """One group's answers to one statement in one scope (the company or a team)."""

    group: Group
    n: int = Field(description="Distinct respondents (each counts once: their latest answer).")
    agree: int | None = Field(default=None, description="Respondents answering 4 or 5.")
    share: float | None = Field(default=None, description="Share agreeing (4–5 of 5), 0..1.")
    share_ci_low: float | None = Field(default=None, description="Wilson 95% interval.")
    share_ci_high: float | None = None
    mean: float | None = Field(default=None, description="Mean answer, 1..5.")
    mean_ci_low: float | None = Field(default=None, description="Student t 95% interval.")
    mean_ci_high: float | None = None
    suppressed: Literal["min_group_n", "complementary"] | None = Field(
        default=None,
        description="Employee groups only: why the results are withheld (fewer respondents "
        "than survey_min_group_n, or hidden with such a group so a total cannot give it away).",
    )


class GapRow(BaseModel):
    """One statement in one scope: the three groups side by side, and the managers–customers and
    other employees–customers tests."""

    statement_id: str
    statement: str = Field(description="The customers' wording, in the requested language.")
    employee_statement: str | None = Field(
        default=None, description="The employees' wording, in the requested language."
    )
    team_id: str | None = Field(default=None, description="None: the whole company.")
    team_name: str | None = Field(default=None, description="The team's name, when known.")
    managers: GapCell
    employees: GapCell
    customers: GapCell
    gap: float | None = Field(
        default=None, description="Share of managers agreeing minus share of customers, −1..1."
    )
    p_value: float | None = Field(
        default=None, description="Fisher's exact test (two-sided), managers vs customers."
    )
    q_value: float | None = Field(
        default=None, description="Benjamini–Hochberg across the statements × scopes tested."
    )
    significant: bool | None = Field(default=None, description="q below 0.05.")
    employees_gap: float | None = Field(
        default=None, description="Share of other employees agreeing minus share of customers."
    )
    employees_p_value: float | None = Field(
        default=None, description="Fisher's exact test (two-sided), other employees vs customers."
    )
    employees_q_value: float | None = Field(
        default=None, description="Benjamini–Hochberg, in the same family as q_value."
    )
    employees_significant: bool | None = Field(default=None, description="employees_q below 0.05.")


class GapReport(BaseModel):
    """The perception gap, company-wide and (with ``by="team"``) per team."""

    by: Literal["team"] | None = None
    language: str
    min_group_n: int
    agree_from: int = Field(default=4, description="Answers from this up count as agreeing.")
    test: str
    rows: list[GapRow]
