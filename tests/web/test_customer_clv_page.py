"""The lifetime value panel of the Customer 360 page, before and after ``cxloop clv score``."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from customer_data import build_company
from cxloop.storage import Warehouse
from cxloop.understand.clv.scoring import score_clv
from understand.clv.clv_orders import add_simulated_orders


def panel(html: str) -> str:
    start = html.index('aria-labelledby="clv-heading"')
    return html[start : html.index("</section>", start)]


def test_clv_panel_before_and_after_scoring(
    signed_in: Callable[..., TestClient], web_warehouse: Warehouse
) -> None:
    ids = build_company(web_warehouse)
    client = signed_in("agent")
    before = panel(client.get(f"/customers/{ids['ana']}").text)
    assert "Not scored yet" in before and "cxloop clv score" in before

    add_simulated_orders(web_warehouse, 150, currency="EUR", prefix="cus_eur", seed=4)
    add_simulated_orders(web_warehouse, 150, currency="USD", prefix="cus_usd", seed=5)
    report = score_clv(web_warehouse, horizon_months=12, discount_rate=0.01)
    after = panel(client.get(f"/customers/{ids['ana']}").text)
    for label in ("Customer lifetime value", "Probability still active", "Expected purchases",
                  "Expected spend per purchase", "Model date"):  # fmt: skip
        assert label in after, label
    assert "Next 12 months, discounted 1% a month" in after
    assert re.search(r'class="stat-value">[€$][\d,]+\.\d\d</span>', after), after
    assert re.search(r'class="stat-value">\d+(\.\d)?%</span>', after)
    day = report.calibration_end
    assert f"orders up to {day:%b} {day.day}, {day.year}" in after

    spanish = panel(signed_in("agent", language="es").get(f"/customers/{ids['ana']}").text)
    assert "Valor de vida del cliente" in spanish and "Probabilidad de seguir activo" in spanish
