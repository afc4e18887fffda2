"""``/u/{token}``: the opt-out link of survey e-mail, through the app."""

from __future__ import annotations

from fastapi.testclient import TestClient

from cxloop.act.invitations.opt_out import OptOutClaims, sign_opt_out
from cxloop.config import Settings
from cxloop.storage import Warehouse


def _url(settings: Settings, customer_id: str = "C1", language: str = "en") -> str:
    claims = OptOutClaims(customer_id=customer_id, language=language)
    return f"/u/{sign_opt_out(settings.signing_key(), claims)}"


def _refusals(warehouse: Warehouse) -> list[tuple[str, str, bool]]:
    frame = warehouse.to_pandas(warehouse.table("consents"))
    return [(r.customer_id, r.purpose, bool(r.granted)) for r in frame.itertuples()]


def test_opening_the_link_asks_and_records_nothing(
    client: TestClient, web_settings: Settings, web_warehouse: Warehouse
) -> None:
    page = client.get(_url(web_settings, language="es"))
    assert page.status_code == 200
    assert '<html lang="es">' in page.text
    assert "¿Quiere dejar de recibir invitaciones a encuestas de Acme &amp; Co por correo?" in (
        page.text
    )
    assert '<form method="post"' in page.text and page.headers["cache-control"] == "no-store"
    assert _refusals(web_warehouse) == []


def test_the_button_records_a_refusal_once(
    client: TestClient, web_settings: Settings, web_warehouse: Warehouse
) -> None:
    url = _url(web_settings, language="zh")
    done = client.post(url, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "已完成" in done.text
    assert '<html lang="zh-Hans">' in done.text
    again = client.post(url)  # a mail provider's one-click request, or a second click
    assert again.status_code == 200
    assert _refusals(web_warehouse) == [("C1", "surveys", False)]


def test_a_changed_link_is_refused_with_a_page(
    client: TestClient, web_settings: Settings, web_warehouse: Warehouse
) -> None:
    url = _url(web_settings)
    for bad in (url[:-2] + "xx", "/u/nonsense"):
        for method in (client.get, client.post):
            page = method(bad, headers={"Accept-Language": "es"})
            assert page.status_code == 400
            assert "Este enlace no es válido" in page.text
    assert _refusals(web_warehouse) == []


def test_too_many_requests_are_slowed(
    client: TestClient, web_settings: Settings, web_warehouse: Warehouse
) -> None:
    url = _url(web_settings)
    codes = [client.get(url).status_code for _ in range(40)]
    assert codes[0] == 200 and 429 in codes


def test_the_progress_link_refuses_progress_e_mail_only(
    client: TestClient, web_settings: Settings, web_warehouse: Warehouse
) -> None:
    claims = OptOutClaims(customer_id="C1", purpose="progress", language="es")
    url = f"/u/{sign_opt_out(web_settings.signing_key(), claims)}"
    # an earlier refusal of survey e-mail does not make the progress refusal a no-op
    client.post(_url(web_settings))
    page = client.get(url)
    assert "resúmenes de su actividad" in page.text
    done = client.post(url)
    assert done.status_code == 200 and "no le enviará más resúmenes" in done.text
    assert sorted(_refusals(web_warehouse)) == [("C1", "progress", False), ("C1", "surveys", False)]
