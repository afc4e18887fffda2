"""The Settings page: your own account for everyone, the tracking plan for analysts, users and
keys for admins, no secrets."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from cxloop.access.keys import add_key
from cxloop.storage import Warehouse


def test_a_viewer_sees_their_own_account_only(signed_in: Callable[..., TestClient]) -> None:
    html = signed_in("viewer").get("/settings").text
    assert "viewer1@example.com" in html and "Viewer 1" in html
    assert "<dt>Role</dt><dd>Viewer</dd>" in html
    assert 'id="language-auto" name="language" value="auto" checked' in html
    assert "users-heading" not in html and "keys-heading" not in html


def test_an_admin_sees_users_and_keys_without_secrets(
    signed_in: Callable[..., TestClient], web_warehouse: Warehouse
) -> None:
    signed_in("viewer", language="zh")
    key, secret = add_key(web_warehouse, "api", role="analyst", name="BI export")
    write_key, write_secret = add_key(web_warehouse, "write", source="webshop")
    html = signed_in("admin", language="es").get("/settings").text
    assert "Usuarios" in html and "viewer1@example.com" in html and "admin2@example.com" in html
    assert "chino" in html, "a user's language is named in the page language"
    assert key.key_id in html and write_key.key_id in html and "Clave de escritura" in html
    assert secret not in html and write_secret not in html
    stored = web_warehouse.to_pandas(web_warehouse.table("api_keys"))
    users = web_warehouse.to_pandas(web_warehouse.table("users"))
    for hashed in [*stored.secret_hash, *users.password_hash]:
        assert hashed not in html
    assert "secret_hash" not in html and "password" not in html.lower().replace("contraseña", "")


def test_the_language_setting_is_preselected(signed_in: Callable[..., TestClient]) -> None:
    html = signed_in("viewer", language="zh").get("/settings").text
    assert 'id="language-zh" name="language" value="zh" checked' in html
    assert '<option value="zh" lang="zh" selected>中文</option>' in html


def test_an_api_key_caller_sees_which_key_it_is(
    client: TestClient, web_warehouse: Warehouse
) -> None:
    key, secret = add_key(web_warehouse, "api", role="viewer")
    response = client.get("/settings", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert f"You are using the API key {key.key_id}." in response.text
    assert secret not in response.text


def test_an_analyst_sees_that_no_tracking_plan_is_loaded(
    signed_in: Callable[..., TestClient],
) -> None:
    html = signed_in("analyst").get("/settings").text
    assert '<h2 id="tracking-heading">Tracking plan</h2>' in html
    assert "Not loaded" in html and "every event is accepted unchecked" in html
    assert "<code>tracking_plan.yaml</code>" in html
    assert "<dt>Violations recorded</dt><dd>0</dd>" in html
    assert '<p class="empty">No violations recorded.</p>' in html
    assert "tracking-counts-heading" not in html and "tracking-events-heading" not in html
    assert "users-heading" not in html, "analysts do not see users and keys"


def test_a_viewer_does_not_see_the_tracking_plan(signed_in: Callable[..., TestClient]) -> None:
    html = signed_in("viewer").get("/settings").text
    assert "tracking-heading" not in html and "tracking_plan.yaml" not in html
