"""The Value chain page: the SVG path diagram beside its table, escaped, in three languages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cxloop.config import Settings
from cxloop.storage import Warehouse
from valuechain_tables import seed_chain_company


@pytest.fixture
def chain_company(web_warehouse: Warehouse, web_settings: Settings) -> Warehouse:
    seed_chain_company(web_warehouse)
    chain = Path(web_settings.project) / "valuechain.yaml"
    text = chain.read_text().replace("bootstrap: 500", "bootstrap: 40")
    chain.write_text(
        text.replace("Engagement: [", "Engagement<&>: [")
        .replace("[Engagement,", "[Engagement<&>,")
        .replace("engagement: Engagement", "engagement: Engagement<&>")
    )
    return web_warehouse


def test_the_diagram_and_table(signed_in: Callable[..., TestClient], chain_company) -> None:
    html = signed_in("viewer").get("/value-chain").text
    assert "<svg" in html and 'class="path-diagram"' in html
    assert html.count('class="construct"') == 5 and html.count('class="path-arrow') == 4
    assert "R² = " in html
    assert "Engagement&lt;&amp;&gt;" in html and "Engagement<&>" not in html  # escaped
    assert "value-chain-paths" in html and "What Engagement&lt;&amp;&gt; explains" in html


@pytest.mark.parametrize(("language", "words"), [("es", "Cadena de valor"), ("zh", "价值链")])
def test_in_spanish_and_chinese(
    signed_in: Callable[..., TestClient], chain_company, language: str, words: str
) -> None:
    html = signed_in("viewer", language=language).get("/value-chain").text
    assert words in html


def test_without_data_the_page_says_why(signed_in: Callable[..., TestClient]) -> None:
    response = signed_in("viewer").get("/value-chain")
    assert response.status_code == 200
    assert "cannot be fitted yet" in response.text and "team x quarter cells" in response.text
