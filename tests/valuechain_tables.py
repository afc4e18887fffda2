"""A small company with a planted value chain, for the value chain's CLI, API and page tests.

Six teams over eight quarters of 2024–2025. Each team-quarter has a latent engagement
E ~ N(0, 1); five pulses read it; fifteen customers each give one piece of feedback, with
service quality Q = 0.7·E + N(0, 1) (a failure event at the touchpoint when Q < −1) and
satisfaction S = 0.7·Q + N(0, 0.7²); each customer then orders Poisson(exp(0.6·S)) times in
the next 90 days.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from cxloop.storage import Warehouse

TEAMS = {"T-web": "Web & App", "T-store": "Stores", "T-call": "Call Centre",
         "T-del": "Delivery", "T-bill": "Billing", "T-chat": "Chat <Support>"}  # fmt: skip
START = datetime(2024, 1, 1, tzinfo=UTC)


def seed_chain_company(wh: Warehouse, seed: int = 0) -> None:
    """Write teams, pulses, feedback, failure events and orders as described above."""
    rng = np.random.default_rng(seed)
    wh.append_rows("teams", [{"team_id": t, "name": n, "touchpoint": t} for t, n in TEAMS.items()])
    pulses, feedback, events, orders = [], [], [], []
    for q in range(8):
        quarter = datetime(2024 + q // 4, 3 * (q % 4) + 1, 1, tzinfo=UTC)
        for team in TEAMS:
            engagement = rng.normal()
            for p in range(5):
                pulses.append({
                    "pulse_id": f"p-{team}-{q}-{p}", "employee_id": f"{team}-e{p}",
                    "team_id": team, "ts": quarter + timedelta(days=10 + p),
                    "engagement": float(np.clip(3.5 + 0.5 * engagement + rng.normal(0, 0.3), 1, 5)),
                    "wellbeing": float(np.clip(3.3 + 0.4 * engagement + rng.normal(0, 0.4), 1, 5)),
                    "enps": int(np.clip(round(7 + 1.2 * engagement + rng.normal(0, 1)), 0, 10)),
                })  # fmt: skip
            for c in range(15):
                customer = f"c-{team}-{q}-{c}"
                ts = quarter + timedelta(days=int(rng.integers(5, 85)), hours=12)
                quality = 0.7 * engagement + rng.normal()
                satisfaction = 0.7 * quality + rng.normal(0, 0.7)
                if quality < -1:
                    events.append({"event_id": f"e-{customer}", "customer_id": customer,
                                   "type": "track", "name": "Page Error", "touchpoint": team,
                                   "ts": ts - timedelta(days=2)})  # fmt: skip
                feedback.append({
                    "feedback_id": f"f-{customer}", "customer_id": customer, "team_id": team,
                    "touchpoint": team, "ts": ts, "kind": "survey",
                    "csat": int(np.clip(round(3.6 + 0.9 * quality), 1, 5)),
                    "nps": int(np.clip(round(7 + 1.8 * satisfaction), 0, 10)),
                })  # fmt: skip
                for o in range(int(rng.poisson(np.exp(0.6 * satisfaction)))):
                    later = ts + timedelta(days=int(rng.integers(1, 90)))
                    orders.append({"order_id": f"o-{customer}-{o}", "customer_id": customer,
                                   "ts": later, "amount": 40.0 + 20 * rng.random(),
                                   "currency": "USD"})  # fmt: skip
    orders.append({"order_id": "o-last", "customer_id": "c-last", "amount": 50.0,
                   "currency": "USD", "ts": datetime(2026, 6, 1, tzinfo=UTC)})  # fmt: skip
    for table, rows in (("employee_pulses", pulses), ("feedback", feedback),
                        ("events", events), ("orders", orders)):  # fmt: skip
        wh.append_rows(table, rows)
