"""Confidentiality of employee answers: which groups' results may be shown.

Employee survey results (eNPS, pulses, the managers' side of the perception gap) are shown only
for groups of at least ``survey_min_group_n`` distinct respondents (setting, default 5). A
smaller group is *suppressed*: its row stays, with its reason, but without a value, share,
mean, interval or test. When a total over the groups is shown beside them (the company beside
its teams), hiding one small group is not enough: the total minus the others would give it
back. So the smallest other groups are hidden with it (*complementary* suppression) until the
hidden groups hold at least ``survey_min_group_n`` respondents between them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Literal, TypeVar

SuppressionReason = Literal["min_group_n", "complementary"]
K = TypeVar("K", bound=Hashable)

DEFAULT_MIN_GROUP_N = 5


def suppressed_groups(
    respondents: Mapping[K, int], min_group_n: int, *, total_shown: bool = True
) -> dict[K, SuppressionReason]:
    """The groups of one breakdown whose results must not be shown, with the reason.

    Parameters
    ----------
    respondents
        Distinct respondents per group (groups without any may be left out).
    min_group_n
        The ``survey_min_group_n`` setting.
    total_shown
        Whether a total over these groups is shown too (then complementary suppression applies).

    Examples
    --------
    >>> suppressed_groups({"a": 4, "b": 5, "c": 9}, 5)
    {'a': 'min_group_n', 'b': 'complementary'}
    >>> suppressed_groups({"a": 4, "b": 5, "c": 9}, 5, total_shown=False)
    {'a': 'min_group_n'}
    >>> suppressed_groups({"a": 5, "b": 6}, 5)
    {}
    """
    hidden: dict[K, SuppressionReason] = {
        group: "min_group_n" for group, n in respondents.items() if 0 < n < min_group_n
    }
    if not hidden or not total_shown:
        return hidden
    shown = sorted(
        (g for g, n in respondents.items() if n > 0 and g not in hidden),
        key=lambda g: (respondents[g], str(g)),
    )
    hidden_n = sum(respondents[g] for g in hidden)
    for group in shown:
        if hidden_n >= min_group_n and len(hidden) > 1:
            break
        hidden[group] = "complementary"
        hidden_n += respondents[group]
    return hidden


def suppression_note(reason: SuppressionReason, min_group_n: int) -> str:
    """The reason in words (English; the dashboard translates the reason code itself)."""
    if reason == "min_group_n":
        return f"fewer than {min_group_n} respondents: hidden to keep answers confidential"
    return "hidden so that a smaller group cannot be worked out from the total"
