"""Every page in every language: the layout, the language choice, the language form."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from cxloop.access.users import find_user
from cxloop.storage import Warehouse

HEADINGS = {
    "/": {"en": "Overview", "es": "Resumen", "zh": "概览"},
    "/settings": {"en": "Settings", "es": "Configuración", "zh": "设置"},
    "/feedback": {"en": "Feedback", "es": "Opiniones", "zh": "反馈"},
}
HTML_LANG = {"en": "en", "es": "es", "zh": "zh-Hans"}
SIGN_OUT = {"en": "Sign out", "es": "Cerrar sesión", "zh": "退出登录"}


class PageStructure(HTMLParser):
    """What an accessibility check needs from a page: elements, ids, labels, scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.label_for: set[str] = set()
        self.script_bodies: list[tuple[dict[str, str], str]] = []
        self._script: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag == "label" and "for" in attributes:
            self.label_for.add(attributes["for"])
        if tag == "script":
            self._script = attributes
            self.script_bodies.append((attributes, ""))

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attributes, body = self.script_bodies[-1]
            self.script_bodies[-1] = (attributes, body + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def structure(html: str) -> PageStructure:
    parser = PageStructure()
    parser.feed(html)
    return parser


def h1(html: str) -> str:
    match = re.search(r"<h1>\s*(.*?)\s*</h1>", html, re.S)
    assert match, "the page has no h1"
    return match.group(1)


@pytest.mark.parametrize("path", list(HEADINGS))
@pytest.mark.parametrize("language", ["en", "es", "zh"])
def test_each_page_renders_in_each_language(
    signed_in: Callable[..., TestClient], seed_feedback, path: str, language: str
) -> None:
    seed_feedback(5)
    response = signed_in("admin", language=language).get(path)
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{HTML_LANG[language]}">' in html
    assert response.headers["content-language"] == HTML_LANG[language]
    assert h1(html) == HEADINGS[path][language]
    assert SIGN_OUT[language] in html
    assert "Acme &amp; Co" in html, "the company name is in the header, escaped"


@pytest.mark.parametrize(
    ("header", "lang", "heading"),
    [
        ("es-MX,es;q=0.9,en;q=0.8", "es", "Iniciar sesión"),
        ("zh-CN,zh;q=0.9", "zh-Hans", "登录"),
        ("zh-Hans", "zh-Hans", "登录"),
        ("fr-FR,en;q=0.5", "en", "Sign in"),
        ("de-DE", "en", "Sign in"),
    ],
)
def test_sign_in_page_follows_accept_language(
    client: TestClient, header: str, lang: str, heading: str
) -> None:
    html = client.get("/login", headers={"Accept-Language": header}).text
    assert f'<html lang="{lang}">' in html
    assert h1(html) == heading


def test_project_default_language_applies_without_accept_language(client: TestClient, app) -> None:
    app.state.settings = app.state.settings.model_copy(update={"default_language": "es"})
    html = client.get("/login", headers={"Accept-Language": ""}).text
    assert '<html lang="es">' in html


def test_the_users_setting_beats_accept_language(signed_in: Callable[..., TestClient]) -> None:
    client = signed_in("viewer", language="zh")
    html = client.get("/", headers={"Accept-Language": "es-ES"}).text
    assert '<html lang="zh-Hans">' in html and h1(html) == "概览"


def test_without_a_setting_accept_language_decides(signed_in: Callable[..., TestClient]) -> None:
    client = signed_in("viewer")
    assert h1(client.get("/", headers={"Accept-Language": "es-ES"}).text) == "Resumen"
    assert h1(client.get("/", headers={"Accept-Language": "zh-CN"}).text) == "概览"


def test_pages_need_a_signed_in_user(client: TestClient) -> None:
    for path in HEADINGS:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("path", ["/", "/settings", "/feedback", "/login"])
def test_pages_are_accessible_and_script_free(
    signed_in: Callable[..., TestClient], seed_feedback, path: str
) -> None:
    seed_feedback(3)
    client = signed_in("admin")
    if path == "/login":
        client.cookies.clear()
    response = client.get(path)
    html = response.text
    page = structure(html)
    tags = [tag for tag, _ in page.tags]
    assert re.search(r'<a class="skip-link" href="#main">Skip to main content</a>', html)
    assert tags.count("main") == 1 and ("main", {"id": "main", "tabindex": "-1"}) in page.tags
    assert "header" in tags and "footer" in tags
    if path != "/login":
        assert ("nav", {"class": "site-nav", "aria-label": "Main"}) in page.tags
    for tag, attributes in page.tags:
        if tag in ("input", "select", "textarea") and attributes.get("type") != "hidden":
            assert attributes.get("id") in page.label_for, f"unlabelled {tag}: {attributes}"
        if tag == "img":
            assert "alt" in attributes
    # no inline script: only files of this site, and JSON data blocks
    for attributes, body in page.script_bodies:
        if "src" in attributes:
            assert attributes["src"].startswith("/static/") and not body.strip()
        else:
            assert attributes.get("type") == "application/json"
            json.loads(body)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-eval" not in csp


def test_every_post_form_carries_a_csrf_token(signed_in: Callable[..., TestClient]) -> None:
    html = signed_in("admin").get("/settings").text
    forms = re.findall(r'<form[^>]*method="post"[^>]*>(.*?)</form>', html, re.S)
    assert len(forms) == 3  # language switcher, sign out, language setting
    for form in forms:
        assert 'name="csrf_token" value="' in form


def language_form(client: TestClient, csrf_of, **fields: str):
    token = csrf_of(client.get("/settings").text)
    data = {"csrf_token": token, "next": "/settings", **fields}
    return client.post("/settings/language", data=data, follow_redirects=False)


def test_the_language_form_saves_the_setting_and_goes_back(
    signed_in: Callable[..., TestClient], web_warehouse: Warehouse, csrf_of
) -> None:
    client = signed_in("viewer")
    response = language_form(client, csrf_of, language="es", next="/?by=kind")
    assert response.status_code == 303 and response.headers["location"] == "/?by=kind"
    user = find_user(web_warehouse, email="viewer1@example.com")
    assert user is not None and user[0].language == "es"
    assert h1(client.get("/").text) == "Resumen"
    audit = web_warehouse.to_pandas(web_warehouse.table("audit_log"))
    change = audit[audit.action == "change"].iloc[0]
    assert change.actor == "user:viewer1@example.com" and json.loads(change.details) == {
        "language": "es"
    }


def test_automatic_clears_the_setting(
    signed_in: Callable[..., TestClient], web_warehouse: Warehouse, csrf_of
) -> None:
    client = signed_in("viewer", language="zh")
    assert language_form(client, csrf_of, language="auto").status_code == 303
    user = find_user(web_warehouse, email="viewer1@example.com")
    assert user is not None and user[0].language is None
    assert h1(client.get("/", headers={"Accept-Language": "es"}).text) == "Resumen"


def test_the_language_form_needs_the_csrf_token(
    signed_in: Callable[..., TestClient], web_warehouse: Warehouse
) -> None:
    client = signed_in("viewer")
    for token in ("", "forged"):
        response = client.post(
            "/settings/language", data={"language": "zh", "csrf_token": token},
            follow_redirects=False,
        )  # fmt: skip
        assert response.status_code == 403
    user = find_user(web_warehouse, email="viewer1@example.com")
    assert user is not None and user[0].language is None


def test_the_language_form_needs_a_signed_in_user(client: TestClient) -> None:
    response = client.post("/settings/language", data={"language": "es"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "/\t/evil.example"]
)
def test_the_language_form_only_goes_back_to_this_site(
    signed_in: Callable[..., TestClient], csrf_of, target: str
) -> None:
    response = language_form(signed_in("viewer"), csrf_of, language="en", next=target)
    assert response.headers["location"] == "/"


def test_an_unknown_language_is_refused(signed_in: Callable[..., TestClient], csrf_of) -> None:
    response = language_form(signed_in("viewer"), csrf_of, language="fr")
    assert response.status_code == 422


def test_error_pages_are_translated(signed_in: Callable[..., TestClient]) -> None:
    response = signed_in("viewer", language="es").get("/?by=nonsense")
    assert response.status_code == 422
    assert h1(response.text) == "El formulario o la dirección no son válidos"
