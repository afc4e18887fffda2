"""The Customers pages: search with pagination, the 360 profile, roles, languages, audit,
escaping and accessibility."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from customer_data import ANA_EMAIL, build_company, write_rows
from cxloop.storage import Warehouse
from web.test_pages import h1, structure


@pytest.fixture
def ids(web_warehouse: Warehouse) -> dict[str, str]:
    return build_company(web_warehouse)


def rows_of(html: str, table_class: str) -> list[str]:
    body = html[html.index(f'class="data-table {table_class}"') :]
    body = body[body.index("<tbody>") : body.index("</tbody>")]
    return re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)


def test_search_lists_matching_customers(
    signed_in: Callable[..., TestClient], ids: dict[str, str]
) -> None:
    client = signed_in("agent")
    html = client.get("/customers", params={"q": "garcia"}).text
    assert h1(html) == "Customers"
    rows = rows_of(html, "customers-table")
    assert len(rows) == 1
    assert f'href="/customers/{ids["jose"]}">José García</a>' in rows[0]
    assert "jose.garcia@example.mx" in rows[0] and "+525512345678" in rows[0]
    assert "Spanish" in rows[0] and ">crm<" in rows[0]
    assert 'value="garcia"' in html
    everyone = client.get("/customers").text
    assert len(rows_of(everyone, "customers-table")) == 3
    assert "All customers" in everyone and "1–3 of 3" in everyone
    assert "crm, webshop" in everyone


def test_search_pages(
    signed_in: Callable[..., TestClient], ids: dict[str, str], web_warehouse: Warehouse
) -> None:
    write_rows(
        web_warehouse,
        "customers",
        [{"customer_id": f"cus_zz{i:014d}", "name": f"Zoe Test {i}"} for i in range(30)],
    )
    client = signed_in("agent")
    first = client.get("/customers", params={"q": "zoe"}).text
    assert len(rows_of(first, "customers-table")) == 25
    assert "Page 1 of 2" in first and 'href="/customers?q=zoe&amp;page=2" rel="next"' in first
    second = client.get("/customers", params={"q": "zoe", "page": 2}).text
    assert len(rows_of(second, "customers-table")) == 5
    assert "26–30 of 30" in second and 'href="/customers?q=zoe" rel="prev"' in second
    beyond = client.get("/customers", params={"q": "zoe", "page": 9}).text
    assert "Nothing to show on this page." in beyond


def test_no_match_and_no_customers(signed_in: Callable[..., TestClient], ids) -> None:
    client = signed_in("agent")
    html = client.get("/customers", params={"q": "<b>nobody</b>"}).text
    assert "No customer matches “&lt;b&gt;nobody&lt;/b&gt;”." in html
    assert "<b>nobody</b>" not in html


def test_an_empty_warehouse_says_to_resolve(signed_in: Callable[..., TestClient]) -> None:
    html = signed_in("agent").get("/customers").text
    assert "No customers yet." in html and "<code>cxloop resolve</code>" in html


def test_the_profile_page(signed_in: Callable[..., TestClient], ids: dict[str, str]) -> None:
    html = signed_in("agent").get(f"/customers/{ids['ana']}").text
    assert h1(html) == "Ana Ruiz"
    assert f"<code>{ids['ana']}</code>" in html
    # summary figures
    for text in ("€150.50", "$20.00", "Latest NPS", "Latest CSAT", "2/5", "First seen"):
        assert text in html, text
    # source records side by side, the differing fields marked
    assert re.search(r'<span class="record-source">crm</span> <span class="record-id">C1', html)
    assert re.search(r'<span class="record-source">webshop</span>', html)
    different = re.findall(r'<tr class="is-different">\s*<th scope="row">([^< ]+)', html)
    assert different == ["Postcode", "tier"]
    assert "(the sources disagree)" in html
    # identities
    identities = rows_of(html, "identities-table")
    assert len(identities) == 2
    assert all("Same e-mail" in row and "100%" in row for row in identities)
    # timeline: newest first, every kind, a page of 50 of 67
    assert "Events: <strong>60</strong>" in html and "Cases: <strong>1</strong>" in html
    items = re.findall(r'<li class="timeline-item kind-(\w+)">', html)
    assert len(items) == 50 and items[0] == "feedback"
    assert {"feedback", "case", "survey_response", "order", "event"} <= set(items)
    assert "Detractor: late delivery" in html and "resolved" in html
    assert "Survey relationship_nps" in html
    assert "&lt;b&gt;La entrega llegó tarde&lt;/b&gt;" in html, "feedback text is escaped"
    assert '<p class="timeline-text" lang="es">' in html
    assert "Page 1 of 2" in html and f'href="/customers/{ids["ana"]}?page=2" rel="next"' in html


def test_the_second_page_of_the_timeline(signed_in: Callable[..., TestClient], ids) -> None:
    html = signed_in("agent").get(f"/customers/{ids['ana']}", params={"page": 2}).text
    assert len(re.findall(r'<li class="timeline-item', html)) == 17
    assert "Page 2 of 2" in html


def test_an_email_or_source_record_redirects_to_the_profile(
    signed_in: Callable[..., TestClient], ids: dict[str, str]
) -> None:
    client = signed_in("agent")
    for reference in (ANA_EMAIL, "webshop:W7"):
        got = client.get(f"/customers/{reference}", follow_redirects=False)
        assert got.status_code == 303 and got.headers["location"] == f"/customers/{ids['ana']}"


def test_unknown_customers_get_a_404_page(signed_in: Callable[..., TestClient], ids) -> None:
    got = signed_in("agent").get("/customers/cus_0000000000000000")
    assert got.status_code == 404 and "Page not found" in got.text
    assert "no customer with id" in got.text


def test_viewers_may_not_open_customers(signed_in: Callable[..., TestClient], ids) -> None:
    client = signed_in("viewer")
    assert client.get("/customers").status_code == 403
    assert client.get(f"/customers/{ids['ana']}").status_code == 403
    assert 'href="/customers"' not in client.get("/").text


def test_anonymous_callers_are_sent_to_sign_in(client: TestClient, ids) -> None:
    got = client.get(f"/customers/{ids['ana']}", follow_redirects=False)
    assert got.status_code == 303 and got.headers["location"].startswith("/login?next=")


def test_pages_are_audited(
    signed_in: Callable[..., TestClient], ids: dict[str, str], web_warehouse: Warehouse
) -> None:
    client = signed_in("agent")
    client.get("/customers", params={"q": "ana"})
    client.get(f"/customers/{ids['ana']}")
    audit = web_warehouse.to_pyarrow(
        web_warehouse.table("audit_log").filter(lambda t: t.target_table == "customers")
    ).to_pylist()
    assert [row["action"] for row in audit] == ["read", "read"]
    search, profile = sorted(audit, key=lambda row: row["ts"])
    assert json.loads(search["details"]) == {
        "page": "customers", "query": "ana", "customer_ids": [ids["ana"]],
    }  # fmt: skip
    assert profile["target_id"] == ids["ana"] and profile["actor"] == "user:agent1@example.com"


@pytest.mark.parametrize(
    ("language", "customers", "golden", "timeline", "method"),
    [
        ("es", "Clientes", "Registro maestro", "Cronología", "Mismo correo electrónico"),
        ("zh", "客户", "黄金记录", "时间线", "相同的电子邮件"),
    ],
)
def test_the_pages_speak_spanish_and_chinese(
    signed_in: Callable[..., TestClient],
    ids: dict[str, str],
    language: str,
    customers: str,
    golden: str,
    timeline: str,
    method: str,
) -> None:
    client = signed_in("agent", language=language)
    assert h1(client.get("/customers").text) == customers
    html = client.get(f"/customers/{ids['ana']}").text
    assert golden in html and timeline in html and method in html
    search = client.get("/customers", params={"q": "王秀英"}).text
    assert len(rows_of(search, "customers-table")) == 1


@pytest.mark.parametrize("page", ["search", "profile"])
def test_the_pages_are_accessible_and_script_free(
    signed_in: Callable[..., TestClient], ids: dict[str, str], page: str
) -> None:
    client = signed_in("agent")
    path = "/customers?q=ana" if page == "search" else f"/customers/{ids['ana']}"
    response = client.get(path)
    html = response.text
    parsed = structure(html)
    tags = [tag for tag, _ in parsed.tags]
    assert tags.count("h1") == 1
    for tag, attributes in parsed.tags:
        if tag in ("input", "select") and attributes.get("type") != "hidden":
            assert attributes.get("id") in parsed.label_for, f"unlabelled {tag}: {attributes}"
    assert tags.count("table") == tags.count("caption")
    for attributes, body in parsed.script_bodies:
        assert attributes.get("src", "").startswith("/static/") and not body.strip()
    assert "script-src 'self';" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
