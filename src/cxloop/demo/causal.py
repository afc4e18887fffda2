"""The planted causal chain of the demo company: every equation the generator draws from.

Notation: team k, calendar quarter q, customer c, month m, interaction i (one customer meeting
one touchpoint: a web or app session, an invoice, a delivery, a store visit, a call, a chat, a
return). Φ⁻¹ is the standard normal quantile; logistic(x) = 1 / (1 + e⁻ˣ).

1. Team engagement, latent and standardised, drifting per quarter::

       E[k, q] = base_k + trend_k · max(0, q − onset_k) + u[k, q],   u ~ N(0, 0.25²)

2. Employee pulse of employee j of team k in quarter q (manager_j ∈ {0, 1})::

       engagement          = clip(3.5 + 0.55·E + 0.10·manager + N(0, 0.45²), 1, 5)
       wellbeing           = clip(3.3 + 0.35·E + N(0, 0.55²), 1, 5)
       eNPS                = clip(round(7.0 + 1.4·E + N(0, 1.5²)), 0, 10)
       customer_centricity = clip(3.6 + 0.30·E + 0.70·manager + N(0, 0.45²), 1, 5)

   Managers rate their team's customer-centricity 0.7 higher than their staff do, whatever
   customers say: the perception gap.

3. Service quality of interaction i, handled by the team k(i) that owns its touchpoint::

       Q_i = 0.6·E[k(i), q(i)] + ε_i,   ε ~ N(0, 1)

4. Service failure (a late delivery, a failed payment, a page error, a long queue…)::

       F_i = 1[Q_i < τ_tp],   τ_tp = Φ⁻¹(failure_rate_tp)

5. Customer satisfaction, a state with memory: baseline μ_c ~ N(0.2, 0.7²) plus a deviation
   that decays by ρ = 0.7 a month and moves with every interaction::

       S_c(m) = μ_c + D_c(m),   D_c(m + 1) = ρ·D_c(m) + Σ_{i in m} (κ·Q_i − w_tp(i)·F_i),   κ = 0.06

   w_tp are the moments of truth: a late delivery (1.4) or a billing failure (1.2) costs far more
   satisfaction than a web page error (0.1). Within a month, each interaction (and the survey
   after it) sees the effect of the person's earlier interactions that month.

6. Survey answers after interaction i, with S*_i = S_c(m) + κ·Q_i − w_tp·F_i::

       CSAT = clip(round(3.95 + 0.60·Q_i − 1.1·F_i + 0.25·S*_i + N(0, 0.55²)), 1, 5)
       CES  = clip(round(5.30 + 0.60·Q_i − 1.6·F_i + N(0, 0.8²)), 1, 7)    (7 = very easy)
       NPS  = clip(round(7.80 + 1.50·S*_i + 0.20·Q_i + N(0, 1.3²)), 0, 10)

   App-store reviews::

       stars = clip(round(3.4 + 0.9·S_c − 1.0·[app crash this month] + N(0, 0.8²)), 1, 5)

7. Loyalty: orders in month m ~ Poisson(λ_c · exp(0.35·S_c(m)) · share of month active),
   λ_c ~ Gamma(1.6, 0.22 / 1.6). New customers place their first order when acquired.

8. Churn: at the start of each month an active customer leaves with probability
   logistic(−4.2 − 1.5·S_c(m)); a churned customer places no further order.

9. Revenue: the sum of order amounts. Amounts are lognormal around a customer's spend level
   (Gamma(4, 1/4) × the market's mean order) and do not depend on S (the Gamma-Gamma assumption),
   so satisfaction moves revenue through frequency and retention only.

10. The perception gap: five statements s (``listen``, ``resolve_quickly``,
    ``person_not_number``, ``keep_promises``, ``easy``) rated 1–5 by employees in the
    customer-centricity self-assessment and by customers. Employees answer once, in the last
    quarter q* (every manager; 85% of the staff employed then), item by item from the pulse's
    customer-centricity equation, so managers rate every statement 0.7 higher than their staff::

        A_js = clip(round(3.6 + 0.30·E[k, q*] + 0.70·manager + δ_s + N(0, 0.45²)), 1, 5)

    Customers answer after one interaction i (at most one per person, sampled evenly across the
    teams), rating the company as the team k(i) that served them made it feel::

        A_is = clip(round(2.70 + 0.50·S*_i + 0.30·Q_i − 0.80·F_i + γ_s + N(0, 0.8²)), 1, 5)

    A respondent agrees when A ≥ 4, i.e. when the latent value is ≥ 3.5. Company-wide about
    90–95% of managers agree, 55–70% of their staff and 13–26% of customers: the gap
    (ground_truth/perception_gap.json holds the expected share of each group, statement and
    team given the drawn E, S*, Q and F: the mean over respondents of Φ((μ − 3.5)/σ)).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from statistics import NormalDist
from typing import Any


def _failure_rates() -> dict[str, float]:
    return {
        "web": 0.08,
        "app": 0.10,
        "store": 0.10,
        "call_centre": 0.14,
        "delivery": 0.16,
        "billing": 0.09,
        "email": 0.12,
        "chat": 0.10,
    }


def _failure_weights() -> dict[str, float]:
    return {
        "web": 0.10,
        "app": 0.25,
        "store": 0.50,
        "call_centre": 0.60,
        "delivery": 1.40,
        "billing": 1.20,
        "email": 0.55,
        "chat": 0.45,
    }


def _employee_offsets() -> dict[str, float]:
    return {
        "listen": 0.10,
        "resolve_quickly": 0.0,
        "person_not_number": 0.15,
        "keep_promises": 0.0,
        "easy": -0.10,
    }


def _customer_offsets() -> dict[str, float]:
    return {
        "listen": 0.0,
        "resolve_quickly": -0.30,
        "person_not_number": 0.20,
        "keep_promises": -0.20,
        "easy": 0.10,
    }


@dataclass(frozen=True)
class ValueChainModel:
    """The structural coefficients of the demo's value chain (see the module docstring)."""

    engagement_noise: float = 0.25
    pulse_engagement: tuple[float, float, float, float] = (3.5, 0.55, 0.10, 0.45)
    """intercept, team engagement E, manager, noise sd (the same order for every pulse item)"""
    pulse_wellbeing: tuple[float, float, float, float] = (3.3, 0.35, 0.0, 0.55)
    pulse_enps: tuple[float, float, float, float] = (7.0, 1.4, 0.0, 1.5)
    pulse_customer_centricity: tuple[float, float, float, float] = (3.6, 0.30, 0.70, 0.45)
    engagement_to_quality: float = 0.6
    failure_rates: dict[str, float] = field(default_factory=_failure_rates)
    failure_weights: dict[str, float] = field(default_factory=_failure_weights)
    satisfaction_baseline_mean: float = 0.2
    satisfaction_baseline_sd: float = 0.7
    satisfaction_memory: float = 0.7
    quality_to_satisfaction: float = 0.06
    csat: tuple[float, float, float, float, float] = (3.95, 0.60, -1.1, 0.25, 0.55)
    """intercept, quality, failure, satisfaction, noise sd"""
    ces: tuple[float, float, float, float] = (5.30, 0.60, -1.6, 0.8)
    """intercept, quality, failure, noise sd"""
    nps: tuple[float, float, float, float] = (7.80, 1.50, 0.20, 1.3)
    """intercept, satisfaction, quality, noise sd"""
    review: tuple[float, float, float, float] = (3.4, 0.9, -1.0, 0.8)
    """intercept, satisfaction, app crash this month, noise sd"""
    purchase_rate_mean: float = 0.22
    purchase_rate_shape: float = 1.6
    purchase_satisfaction: float = 0.35
    churn_intercept: float = -4.2
    churn_satisfaction: float = -1.5
    statement_employee_offsets: dict[str, float] = field(default_factory=_employee_offsets)
    """δ_s: statement offsets of the employees' self-assessment (equation 10)"""
    statement_customer: tuple[float, float, float, float, float] = (2.70, 0.50, 0.30, -0.80, 0.8)
    """intercept, satisfaction S*, quality, failure, noise sd (equation 10)"""
    statement_customer_offsets: dict[str, float] = field(default_factory=_customer_offsets)
    """γ_s: statement offsets of the customers' answers (equation 10)"""
    statement_staff_response_rate: float = 0.85

    def threshold(self, touchpoint: str) -> float:
        """τ_tp: service quality below this is a failure."""
        return NormalDist().inv_cdf(self.failure_rates[touchpoint])

    def nps_points_per_failure(self) -> dict[str, float]:
        """Immediate NPS points lost when a failure at each touchpoint precedes the survey."""
        slope = self.nps[1]
        return {tp: round(slope * w, 3) for tp, w in self.failure_weights.items()}

    def as_dict(self) -> dict[str, Any]:
        values = asdict(self)
        values["failure_thresholds"] = {
            tp: round(self.threshold(tp), 4) for tp in self.failure_rates
        }
        values["nps_points_per_failure"] = self.nps_points_per_failure()
        return values


MODEL = ValueChainModel()
