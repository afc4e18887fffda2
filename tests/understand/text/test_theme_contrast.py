"""The detractor-against-promoter comparison, checked against a case worked by hand."""

from __future__ import annotations

from math import comb

import pytest

from cxloop.understand.text.theme_contrast import MIN_GROUP, compare_themes


def fisher_two_sided_by_hand(a: int, n1: int, b: int, n2: int) -> float:
    """Fisher's exact test written out: the hypergeometric probability of every table with
    the same margins that is no more likely than the one observed, summed."""
    mentions, total = a + b, n1 + n2

    def probability(x: int) -> float:
        return comb(n1, x) * comb(n2, mentions - x) / comb(total, mentions)

    observed = probability(a)
    low, high = max(0, mentions - n2), min(n1, mentions)
    return sum(p for x in range(low, high + 1) if (p := probability(x)) <= observed * (1 + 1e-7))


def test_a_case_worked_by_hand() -> None:
    # 10 detractors, 10 promoters. "delivery": 8 of 10 detractors, 2 of 10 promoters.
    # Tables with 10 mentions in all: P(x) = C(10,x)·C(10,10-x)/C(20,10), C(20,10) = 184,756.
    # As or less likely than x = 8 (2,025): x = 0, 1, 2, 8, 9, 10 → 2·(2,025 + 100 + 1) = 4,252.
    # p = 4,252 / 184,756 = 0.023014. "price": 5 of 10 against 5 of 10 → p = 1.
    # Benjamini-Hochberg over the two: 0.023014·2/1 = 0.046028; 1·2/2 = 1.
    result = compare_themes({"price": (5, 5), "delivery": (8, 2)}, detractors=10, promoters=10)
    delivery, price = result.themes
    assert delivery.theme == "delivery"  # the widest gap first
    assert delivery.p_value == pytest.approx(4252 / 184756, rel=1e-9)
    assert delivery.p_value == pytest.approx(fisher_two_sided_by_hand(8, 10, 2, 10), rel=1e-9)
    assert delivery.p_adjusted == pytest.approx(2 * 4252 / 184756, rel=1e-9)
    assert delivery.p_adjusted == pytest.approx(0.046028, abs=1e-6)
    assert delivery.odds_ratio == pytest.approx((8 * 8) / (2 * 2))
    assert delivery.detractor_share == 0.8 and delivery.promoter_share == 0.2
    assert delivery.difference == pytest.approx(0.6)
    assert delivery.significant and delivery.verdict == "detractors"
    # 10 in each group is a small sample: still shown, and flagged
    assert delivery.small_sample and result.small_sample and MIN_GROUP > 10
    assert price.p_value == pytest.approx(1.0) and price.p_adjusted == pytest.approx(1.0)
    assert not price.significant and price.verdict == "too_few"
    assert result.leading() == delivery


def test_benjamini_hochberg_by_hand_over_three_themes() -> None:
    mentions = {"a": (20, 5), "b": (15, 8), "c": (12, 10)}
    result = compare_themes(mentions, detractors=40, promoters=40)
    raw = {t.theme: fisher_two_sided_by_hand(*mentions[t.theme][:1], 40, mentions[t.theme][1], 40)
           for t in result.themes}  # fmt: skip
    ordered = sorted(raw.items(), key=lambda kv: kv[1])
    m = len(ordered)
    expected, running = {}, 1.0
    for rank in range(m, 0, -1):  # step up from the largest p-value
        theme, p = ordered[rank - 1]
        running = min(running, p * m / rank)
        expected[theme] = running
    for theme in result.themes:
        assert theme.p_value == pytest.approx(raw[theme.theme], rel=1e-9)
        assert theme.p_adjusted == pytest.approx(expected[theme.theme], rel=1e-9)
        assert not theme.small_sample


def test_no_difference_with_enough_answers() -> None:
    result = compare_themes({"app": (10, 11)}, detractors=50, promoters=50)
    assert result.themes[0].verdict == "no_difference" and not result.small_sample


def test_promoters_theme_and_infinite_odds() -> None:
    result = compare_themes({"staff": (0, 20)}, detractors=40, promoters=40)
    staff = result.themes[0]
    assert staff.verdict == "promoters" and staff.odds_ratio == 0.0
    result = compare_themes({"late": (20, 0)}, detractors=40, promoters=40)
    assert result.themes[0].odds_ratio is None  # infinite: not a JSON number


def test_an_empty_group_is_flagged_not_tested() -> None:
    result = compare_themes({"delivery": (3, 0)}, detractors=3, promoters=0)
    only = result.themes[0]
    assert only.p_value is None and only.p_adjusted is None
    assert only.promoter_share is None and only.verdict == "too_few" and only.small_sample
    assert compare_themes({}, detractors=0, promoters=0).themes == []


def test_impossible_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="more mentions"):
        compare_themes({"x": (5, 0)}, detractors=4, promoters=10)
