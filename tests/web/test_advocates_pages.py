"""The Advocates page (agents and up, audited), its invite form (analysts, CSRF, preview then
invite, audited), and the segments panel of the Customer 360 page."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from advocate_tables import add_promoters
from cxloop.config import Settings
from cxloop.storage import Warehouse
from smtp_server import Inbox, smtp_server
from web.conftest import csrf_from


@pytest.fixture
def mail() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as served:
        yield served


@pytest.fixture
def web_settings(tmp_path: Path, starter_project: Path, mail: tuple[Inbox, int]) -> Settings:
    directory = tmp_path / "acme"
    shutil.copytree(starter_project, directory)
    return Settings.load(
        project=directory, secret_key="test-secret-key-" + "x" * 32, company_name="Acme & Co",
        smtp_host="127.0.0.1", smtp_port=mail[1], smtp_security="none",
        mail_from="Acme <cx@acme.example>", public_base_url="https://cx.acme.example",
    )  # fmt: skip


@pytest.fixture
def shop(web_warehouse: Warehouse) -> Warehouse:
    add_promoters(web_warehouse)
    return web_warehouse


def panel(html: str, heading: str) -> str:
    start = html.index(f'aria-labelledby="{heading}"')
    return html[start : html.index("</section>", start)]


def test_agents_see_the_ranking_without_the_invite_form(
    signed_in: Callable[..., TestClient], shop: Warehouse
) -> None:
    assert signed_in("viewer").get("/advocates").status_code == 403
    page = signed_in("agent").get("/advocates")
    assert page.status_code == 200
    ranking = panel(page.text, "ranking-heading")
    assert ranking.index("Person p1") < ranking.index("Person p3") < ranking.index("Person p2")
    assert "The top 3 of 3 promoters" in ranking and "Advocate" in ranking
    assert 'action="/advocates/invite"' not in page.text
    assert 'href="/advocates"' in page.text  # in the navigation
    log = shop.to_pandas(shop.table("audit_log"))
    reads = log[(log.action == "read") & (log.target_table == "customers")]
    assert json.loads(reads.details.iloc[-1])["customer_ids"] == ["cus_p1", "cus_p3", "cus_p2"]


def test_analysts_preview_then_invite(
    signed_in: Callable[..., TestClient],
    shop: Warehouse,
    web_settings: Settings,
    mail: tuple[Inbox, int],
) -> None:
    client = signed_in("analyst")
    page = client.get("/advocates")
    form = panel(page.text, "invite-heading")
    assert 'value="ambassador-programme" selected' in form
    token = csrf_from(page.text)
    data = {"top": "2", "survey": "ambassador-programme", "csrf_token": token}
    forged = client.post("/advocates/invite", data={**data, "csrf_token": "x", "action": "invite"})
    assert forged.status_code == 403
    preview = client.post("/advocates/invite", data={**data, "action": "preview"})
    assert preview.status_code == 200
    assert "Preview: nothing was written and nothing was sent" in preview.text
    assert "2 of the top 2 advocates would join the segment" in preview.text
    assert "Would be sent" in preview.text
    assert not (web_settings.project / "segments" / "ambassadors.yaml").exists()
    assert mail[0].messages == []
    done = client.post(
        "/advocates/invite", data={**data, "action": "invite"}, follow_redirects=False
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/advocates?added=2&sent=2&skipped=0"
    after = client.get(done.headers["location"])
    assert "2 new members in the ambassador segment, 2 invitations sent" in after.text
    assert len(mail[0].messages) == 2
    log = shop.to_pandas(shop.table("audit_log"))
    changed = log[(log.action == "change") & (log.target_table == "segment_members")]
    assert list(changed.target_id) == ["ambassadors"]
    bad = client.post("/advocates/invite", data={**data, "top": "lots", "action": "invite"})
    assert bad.status_code == 400 and "field top" in bad.text
    assert signed_in("agent").post("/advocates/invite", data=data).status_code == 403


def test_the_customer_page_shows_segments_lifecycle_ladder_and_rfm(
    signed_in: Callable[..., TestClient], shop: Warehouse
) -> None:
    client = signed_in("analyst")
    token = csrf_from(client.get("/advocates").text)
    client.post("/advocates/invite", data={"top": "1", "csrf_token": token, "action": "invite"})
    client = signed_in("agent")
    html = client.get("/customers/p1@example.com").text
    standing = panel(html, "standing-heading")
    assert "Segments and stage" in standing
    assert '<a href="/segments/ambassadors">Ambassador programme</a>' in standing
    assert "<time datetime=" in standing
    assert "Loyalty ladder" in standing and "Lifecycle stage" in standing
    assert "RFM segment" in standing
    other = panel(client.get("/customers/d1@example.com").text, "standing-heading")
    assert "In no segment." in other and "Detractor" in other
    spanish = signed_in("agent", language="es").get("/customers/p1@example.com").text
    assert "Segmentos y etapa" in panel(spanish, "standing-heading")
