"""The identity review on the profile page: the waterfall of two records, split / merge /
undo forms (roles, CSRF, bad ids, audit), and the page in other languages."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from customer_data import build_company
from cxloop.storage import Warehouse
from cxloop.unify.overrides import identity_of, list_overrides
from web.conftest import csrf_from


@pytest.fixture
def ids(web_warehouse: Warehouse) -> dict[str, str]:
    return build_company(web_warehouse)


def audit_actions(warehouse: Warehouse) -> list[dict]:
    rows = warehouse.to_pyarrow(warehouse.table("audit_log")).to_pylist()
    return sorted(rows, key=lambda row: row["ts"])


def waterfall_rows(html: str) -> list[str]:
    body = html[html.index('class="data-table waterfall-table"') :]
    body = body[body.index("<tbody>") : body.index("</tbody>")]
    return re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)


def post(client: TestClient, path: str, data: dict, token: str | None) -> object:
    form = {**data, **({"csrf_token": token} if token is not None else {})}
    return client.post(path, data=form, follow_redirects=False)


def test_an_analyst_sees_the_waterfall_of_two_records(
    signed_in: Callable[..., TestClient], ids: dict[str, str], web_warehouse: Warehouse
) -> None:
    client = signed_in("analyst")
    page = f"/customers/{ids['ana']}"
    plain = client.get(page).text
    assert 'id="explain-a"' in plain and "waterfall-table" not in plain
    assert "/static/js/charts.js" not in plain  # no chart, no chart scripts
    html = client.get(page, params={"a": "crm:C1", "b": "webshop:W7"}).text
    rows = waterfall_rows(html)
    # the prior, then the model's seven comparisons
    assert len(rows) == 8 and "Prior" in rows[0] and "−13.29" not in rows[0]
    assert "-13.29" in rows[0]
    email = next(row for row in rows if ">E-mail<" in row)
    assert "Same address" in email and "+15.38" in email and "0.00002" in email
    dob = next(row for row in rows if ">Date of birth<" in row)
    assert "Missing on one side or both" in dob and "+0.00" in dob
    assert "+30.89" in html and "In the same customer" in html and "Same e-mail" in html
    spec = json.loads(
        re.search(r'id="waterfall-chart-spec">(.*?)</script>', html, re.S).group(1)  # type: ignore[union-attr]
    )
    bars = spec["layer"][1]["data"]["values"]
    assert bars[0]["step"] == "Prior" and bars[-1]["step"] == "Total"
    assert bars[-1]["end"] == pytest.approx(30.8871, abs=1e-3)
    assert "/static/js/charts.js" in html
    reads = [r for r in audit_actions(web_warehouse) if r["target_table"] == "identities"]
    assert [r["target_id"] for r in reads] == ["crm:C1|webshop:W7"]
    assert reads[0]["actor"].startswith("user:analyst")


def test_a_record_of_another_customer_can_be_explained_and_merged(
    signed_in: Callable[..., TestClient], ids: dict[str, str], web_warehouse: Warehouse
) -> None:
    client = signed_in("admin")
    page = f"/customers/{ids['ana']}"
    html = client.get(page, params={"a": "crm:C1", "b": "webshop:W7", "b_id": "crm:C2"}).text
    assert "Records crm:C1 and crm:C2" in html and "In different customers" in html
    assert 'name="other" value="' + ids["jose"] + '"' in html
    token = csrf_from(html)
    response = post(client, f"{page}/merge", {"other": ids["jose"], "reason": "same person"}, token)
    assert response.status_code == 303
    target = response.headers["location"]
    assert re.fullmatch(r"/customers/cus_\w+\?applied=ovr_[0-9a-f]{12}#identity-review", target)
    customer_of = identity_of(web_warehouse)
    assert customer_of["crm:C2"] == customer_of["crm:C1"]
    after = client.get(target.split("#")[0]).text
    assert "saved and applied" in after and "same person" in after
    merges = [r for r in audit_actions(web_warehouse) if r["action"] == "identity_merge"]
    assert len(merges) == 1 and merges[0]["actor"].startswith("user:admin")


def test_split_a_record_off_then_undo_it(
    signed_in: Callable[..., TestClient], ids: dict[str, str], web_warehouse: Warehouse
) -> None:
    client = signed_in("analyst")
    page = f"/customers/{ids['ana']}"
    token = csrf_from(client.get(page).text)
    response = post(
        client, f"{page}/split", {"records": ["webshop:W7"], "reason": "<b>not her</b>"}, token
    )
    assert response.status_code == 303, response.text
    customer_of = identity_of(web_warehouse)
    assert customer_of["webshop:W7"] != customer_of["crm:C1"]
    home = f"/customers/{customer_of['crm:C1']}"
    assert response.headers["location"].startswith(home + "?applied=ovr_")
    html = client.get(response.headers["location"].split("#")[0]).text
    assert "Split ovr_" in html and "Open that customer" in html
    assert f'href="/customers/{customer_of["webshop:W7"]}"' in html
    assert "&lt;b&gt;not her&lt;/b&gt;" in html and "<b>not her</b>" not in html
    (split,) = list_overrides(web_warehouse)
    assert split.records == ["webshop:W7"] and split.apart == ["crm:C1"]
    # the split-off customer lists the override too, and either page can undo it
    other = client.get(f"/customers/{customer_of['webshop:W7']}").text
    assert split.override_id in other
    undo = f"{home}/overrides/{split.override_id}/remove"
    response = post(client, undo, {"reason": "wrong"}, csrf_from(html))
    assert response.status_code == 303
    assert "?undone=" + split.override_id in response.headers["location"]
    customer_of = identity_of(web_warehouse)
    assert customer_of["webshop:W7"] == customer_of["crm:C1"]
    assert not list_overrides(web_warehouse, include_removed=False)
    actions = [r["action"] for r in audit_actions(web_warehouse)]
    assert actions.count("identity_split") == 1
    assert actions.count("identity_override_removed") == 1
    done = client.get(response.headers["location"].split("#")[0]).text
    assert "undone" in done and "No merge or split names these records." in done


@pytest.mark.parametrize("role", ["agent", "viewer"])
def test_agents_and_viewers_get_no_buttons_and_may_not_post(
    signed_in: Callable[..., TestClient],
    ids: dict[str, str],
    web_warehouse: Warehouse,
    role: str,
) -> None:
    client = signed_in(role)
    page = f"/customers/{ids['ana']}"
    html = client.get(page)
    if role == "agent":
        assert html.status_code == 200
        assert "Merges and splits" in html.text
        for form in ("/split", "/merge", "explain-a", "/remove"):
            assert form not in html.text
        assert client.get(page, params={"a": "crm:C1", "b": "webshop:W7"}).status_code == 403
    else:  # a viewer does not see customers' personal data at all
        assert html.status_code == 403
    token = csrf_from(client.get("/settings").text)
    for path, data in (
        (f"{page}/split", {"records": "webshop:W7", "reason": "x"}),
        (f"{page}/merge", {"other": ids["jose"], "reason": "x"}),
        (f"{page}/overrides/ovr_000000000000/remove", {}),
    ):
        assert post(client, path, data, token).status_code == 403
    assert list_overrides(web_warehouse) == []


def test_changes_need_the_csrf_token(
    signed_in: Callable[..., TestClient], ids: dict[str, str], web_warehouse: Warehouse
) -> None:
    client = signed_in("analyst")
    page = f"/customers/{ids['ana']}"
    data = {"records": "webshop:W7", "reason": "x"}
    assert post(client, f"{page}/split", data, None).status_code == 403
    assert post(client, f"{page}/split", data, "forged").status_code == 403
    assert list_overrides(web_warehouse) == []


def test_mistakes_are_clear_4xx_pages(
    signed_in: Callable[..., TestClient], ids: dict[str, str], web_warehouse: Warehouse
) -> None:
    client = signed_in("analyst")
    page = f"/customers/{ids['ana']}"
    token = csrf_from(client.get(page).text)
    nobody = "/customers/cus_nobody"
    cases = [
        (f"{page}/split", {"records": "crm:C2", "reason": "x"}, 400, "not records of"),
        (f"{page}/split", {"records": "nope:1", "reason": "x"}, 404, "no customer or source"),
        (f"{page}/split", {"reason": "x"}, 400, "field records"),
        (f"{page}/split", {"records": "webshop:W7"}, 400, "field reason"),
        (f"{page}/split", {"records": ["crm:C1", "webshop:W7"], "reason": "x"}, 400, "all the"),
        (f"{nobody}/split", {"records": "webshop:W7", "reason": "x"}, 404, "cus_nobody"),
        (f"{page}/merge", {"other": "cus_nobody", "reason": "x"}, 404, "cus_nobody"),
        (f"{page}/merge", {"other": "  ", "reason": "x"}, 400, "field other"),
        (f"{page}/merge", {"other": "crm:C1", "reason": "x"}, 400, "already one customer"),
        (f"{page}/overrides/ovr_000000000000/remove", {}, 404, "ovr_000000000000"),
    ]
    for path, data, status, message in cases:
        response = post(client, path, data, token)
        assert response.status_code == status, (path, data, response.text)
        assert message in response.text, (path, data)
        assert "<html" in response.text  # a page for people, not JSON
    assert list_overrides(web_warehouse) == []
    # an override of other records cannot be undone from this page
    jose = f"/customers/{ids['jose']}"
    split = post(client, f"{page}/split", {"records": "webshop:W7", "reason": "x"}, token)
    override_id = split.headers["location"].split("applied=")[1].split("#")[0]
    response = post(client, f"{jose}/overrides/{override_id}/remove", {}, token)
    assert response.status_code == 400 and "names none of the records" in response.text
    # explaining an unknown record or a record with itself says why, on the profile page
    missing = client.get(page, params={"a": "crm:C1", "b_id": "nope:1"})
    assert missing.status_code == 404 and "no source record" in missing.text
    assert 'id="explain-a"' in missing.text
    same = client.get(page, params={"a": "crm:C1", "b": "crm:C1"})
    assert same.status_code == 400 and "two different records" in same.text


def test_the_review_in_spanish_and_chinese(
    signed_in: Callable[..., TestClient], ids: dict[str, str]
) -> None:
    es = signed_in("analyst", language="es")
    html = es.get(f"/customers/{ids['ana']}", params={"a": "crm:C1", "b": "webshop:W7"}).text
    assert "Fusiones y separaciones" in html and "Misma dirección" in html
    assert "Probabilidad de coincidencia" in html and "+30,89" in html
    zh = signed_in("analyst", language="zh")
    html = zh.get(f"/customers/{ids['ana']}", params={"a": "crm:C1", "b": "webshop:W7"}).text
    assert "合并与拆分" in html and "出生日期" in html


def test_an_analyst_opens_a_customer_with_no_source_records(
    signed_in: Callable[..., TestClient], web_warehouse: Warehouse
) -> None:
    ids = build_company(web_warehouse)
    web_warehouse.delete("identities", "customer_id", [ids["ana"]])
    page = signed_in("analyst").get(f"/customers/{ids['ana']}")
    assert page.status_code == 200
    assert "Why were two records linked?" not in page.text
