"""The churn risk panel of the Customer 360 page, before and after ``cxloop churn score``."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from customer_data import build_company
from cxloop.storage import Warehouse
from understand.churn.churn_tables import add_churn_score

REASONS = [
    {"feature": "recency", "text": "no order for 140 days", "impact": 0.21,
     "numbers": {"days": 140}},
    {"feature": "delivery", "text": "2 comments about delivery", "impact": 0.09,
     "numbers": {"comments": 2}},
    # a reason without numbers is shown as stored (escaped)
    {"feature": "nps", "text": "last NPS 3 <script>alert(1)</script>", "impact": 0.08},
]  # fmt: skip


def panel(html: str) -> str:
    start = html.index('aria-labelledby="churn-heading"')
    return html[start : html.index("</section>", start)]


def test_churn_panel_before_and_after_scoring(
    signed_in: Callable[..., TestClient], web_warehouse: Warehouse
) -> None:
    ids = build_company(web_warehouse)
    client = signed_in("agent")
    before = panel(client.get(f"/customers/{ids['ana']}").text)
    assert "Not scored yet: run cxloop churn fit, then cxloop churn score." in before

    add_churn_score(web_warehouse, ids["ana"], 0.734, REASONS)
    after = panel(client.get(f"/customers/{ids['ana']}").text)
    assert '<span class="stat-value">73.4%</span>' in after
    assert "Probability of no order in the next 90 days, from data up to Jun 30, 2026" in after
    assert "<td>no order for 140 days</td><td>+21%</td>" in after
    assert "<td>comments about delivery: 2</td><td>+9%</td>" in after
    assert "&lt;script&gt;" in after and "<script>" not in after
    # churn was scored, but not José: he has no order, so there is no basis for a risk
    jose = panel(client.get(f"/customers/{ids['jose']}").text)
    assert "Not scored yet" not in jose
    assert (
        "<strong>No basis for a risk</strong>: no order in the 365 days up to Jun 30, 2026." in jose
    )

    spanish = panel(signed_in("agent", language="es").get(f"/customers/{ids['ana']}").text)
    assert "Riesgo de abandono" in spanish and "ningún pedido desde hace 140 días" in spanish
    assert "comentarios sobre la entrega: 2" in spanish
    chinese = panel(signed_in("agent", language="zh").get(f"/customers/{ids['ana']}").text)
    assert "流失风险" in chinese and "已 140 天未下单" in chinese
    assert "无从估计" in panel(
        signed_in("agent", language="zh").get(f"/customers/{ids['jose']}").text
    )
    assert "Sin base" in panel(
        signed_in("agent", language="es").get(f"/customers/{ids['jose']}").text
    )


def test_the_profile_says_why_a_customer_has_no_churn_risk(web_warehouse: Warehouse) -> None:
    from cxloop.unify.profile import customer_profile

    ids = build_company(web_warehouse)
    assert customer_profile(web_warehouse, ids["jose"]).churn_no_basis is None  # never scored
    add_churn_score(web_warehouse, ids["ana"], 0.5, [])
    jose = customer_profile(web_warehouse, ids["jose"])
    assert jose.churn is None and jose.churn_no_basis is not None
    assert jose.model_dump(mode="json")["churn_no_basis"] == {
        "reason": "no_recent_purchase", "model_id": "churn_test", "cutoff": "2026-06-30",
        "active_days": 365,
    }  # fmt: skip
    assert customer_profile(web_warehouse, ids["ana"]).churn_no_basis is None
