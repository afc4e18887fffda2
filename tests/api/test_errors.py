"""Errors have one JSON shape for the API and a page for people."""

from __future__ import annotations

import re

PASSWORD = "correct horse battery staple"  # as in tests/api/conftest.py


def test_unknown_api_path_is_a_json_404(served) -> None:
    client, _ = served
    response = client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_unknown_page_is_an_html_404(served) -> None:
    client, keys = served
    response = client.get("/nothing-here", headers={"Authorization": f"Bearer {keys['viewer']}"})
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]


def test_validation_errors_are_422_with_details(served) -> None:
    client, _ = served
    response = client.post(
        "/v1/track", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code in (400, 401, 422)
    assert "error" in response.json()


def test_sign_in_never_redirects_off_site(served) -> None:
    client, _ = served
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    for target in ("//evil.example/", "https://evil.example/", "/\t/evil.example", "\\\\evil"):
        response = client.post(
            "/login",
            data={
                "email": "admin@example.com",
                "password": PASSWORD,
                "csrf_token": token,
                "next": target,
            },
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/"
        client.cookies.clear()
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def test_sign_in_needs_the_csrf_token_and_wrong_passwords_fail(served) -> None:
    client, _ = served
    client.get("/login")
    response = client.post(
        "/login", data={"email": "admin@example.com", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post(
        "/login",
        data={"email": "admin@example.com", "password": "wrong-wrong", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 401
