"""The Feedback explorer page: filters, search, badges, the text each role may read, the heat
map's spec and table, the detractor-against-promoter table, audit rows, bad filter values."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from cxloop.storage import Warehouse
from feedback_data import build_feedback, build_ratings_only, build_survey_crowd
from web.test_pages import h1, structure


@pytest.fixture
def explored(web_warehouse: Warehouse) -> Warehouse:
    build_feedback(web_warehouse)
    return web_warehouse


def cards(html: str) -> list[str]:
    return re.findall(r'<li class="feedback-card"[^>]*>(.*?)</li>', html, re.S)


def card_ids(html: str) -> list[str]:
    return re.findall(r'data-feedback-id="([^"]+)"', html)


def chart_spec(html: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="heatmap-chart-spec">(.*?)</script>', html, re.S
    )
    assert match, "no heat map spec on the page"
    return json.loads(match.group(1))


def test_the_page_lists_feedback_with_badges(
    signed_in: Callable[..., TestClient], explored: Warehouse
) -> None:
    client = signed_in("viewer")
    response = client.get("/feedback")
    assert response.status_code == 200
    html = response.text
    assert h1(html) == "Feedback"
    assert card_ids(html) == ["f9", "f8", "f7", "f6", "f5", "f4", "f3", "f2", "f1"]
    first_delivery = cards(html)[-1]
    assert '<span class="badge sentiment-negative">Negative</span>' in first_delivery
    assert "Issue</span>" in first_delivery
    assert 'href="/feedback?theme=delivery"' in first_delivery
    assert "NPS 2" in first_delivery and "Delivery crew" in first_delivery
    assert "1–9 of 9" in html


@pytest.mark.parametrize("role", ["viewer", "agent", "analyst"])
def test_other_roles_read_only_the_redacted_text(
    signed_in: Callable[..., TestClient], explored: Warehouse, role: str
) -> None:
    html = signed_in(role).get("/feedback").text
    for secret in ("ana@example.com", "+1 555 0100", "4111 1111 1111 1111"):
        assert secret not in html
    assert "La entrega llegó tarde, escríbanme a [EMAIL]" in html
    assert "Only admins see the original." in html
    assert "Not analysed yet: the text is shown once personal data has been redacted." in html
    assert (">Ana Ruiz</a>" in html) == (role != "viewer")  # customer names: agents and up


def test_admins_read_the_original_and_the_redacted_text(
    signed_in: Callable[..., TestClient], explored: Warehouse
) -> None:
    html = signed_in("admin").get("/feedback").text
    f2 = cards(html)[card_ids(html).index("f2")]
    assert "La entrega llegó tarde, escríbanme a ana@example.com" in f2
    assert "Redacted</span> La entrega llegó tarde, escríbanme a [EMAIL]" in f2
    assert "4111 1111 1111 1111" in html  # not analysed yet, but an admin may read it
    assert "Only admins see the original." not in html


def test_filters_and_search_from_the_form(
    signed_in: Callable[..., TestClient], explored: Warehouse
) -> None:
    client = signed_in("viewer")
    # the form sends every field; the empty ones mean "any"
    empty = {"q": "", "language": "", "sentiment": "", "theme": "", "intent": "",
             "touchpoint": "", "team": "", "nps_band": "", "csat_band": "", "ces_band": "",
             "date_from": "", "date_to": ""}  # fmt: skip
    assert len(card_ids(client.get("/feedback", params=empty).text)) == 9
    html = client.get("/feedback", params=empty | {"sentiment": "negative", "q": "LLEGO"}).text
    assert card_ids(html) == ["f2"]
    assert '<option value="negative" selected>Negative</option>' in html
    assert 'value="LLEGO"' in html
    assert card_ids(client.get("/feedback", params={"q": "送货"}).text) == ["f3"]
    assert card_ids(client.get("/feedback", params={"theme": "price"}).text) == ["f5", "f4"]
    html = client.get("/feedback", params={"nps_band": "detractor", "team": "team_delivery"}).text
    assert card_ids(html) == ["f3", "f2", "f1"]
    assert "Clear filters" in html
    none = client.get("/feedback", params={"q": "<b>zzz</b>"}).text
    assert "No feedback matches these filters." in none and "<b>zzz</b>" not in none


def test_bad_filter_values_are_a_400_naming_the_field(
    signed_in: Callable[..., TestClient], explored: Warehouse
) -> None:
    client = signed_in("viewer")
    response = client.get("/feedback", params={"sentiment": "angry"})
    assert response.status_code == 400 and "sentiment" in response.text
    response = client.get("/feedback", params={"date_from": "2026-03-09", "date_to": "2026-03-01"})
    assert response.status_code == 400 and "date_from" in response.text
    assert client.get("/feedback", params={"page": "0"}).status_code == 422


def test_the_heat_map_spec_and_its_table(
    signed_in: Callable[..., TestClient], explored: Warehouse
) -> None:
    html = signed_in("viewer", language="es").get("/feedback").text
    spec = chart_spec(html)
    values = {(r["theme"], r["sentiment"]): r["count"] for r in spec["data"]["values"]}
    # themes named by the taxonomy in the page's language; ids it lacks shown as they are
    assert values[("Entrega", "Negativo")] == 3 and values[("staff", "Positivo")] == 1
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert '<script src="/static/vendor/vega.js' in html
    assert 'data-chart-spec="heatmap-chart-spec"' in html
    assert "Mostrar los números en una tabla" in html or "tabla" in html


def test_what_unhappy_customers_talk_about(
    signed_in: Callable[..., TestClient], web_warehouse: Warehouse
) -> None:
    build_survey_crowd(
        web_warehouse,
        [(2, 30, ["delivery"]), (4, 10, ["price"]), (10, 6, ["delivery"]), (9, 34, ["price"])],
    )
    html = signed_in("analyst").get("/feedback").text
    assert "Unhappy customers talk most about Delivery: 75% of detractors mention it, " \
        "against 15% of promoters." in html  # fmt: skip
    rows = re.findall(r'<tr class="verdict-([a-z_]+)">\s*<th scope="row"[^>]*>([^<]+)</th>', html)
    assert rows == [("detractors", "Delivery"), ("promoters", "Price and value")]
    assert "40 detractors, 40 promoters" in html
    assert "Few answers" not in html


def test_small_samples_are_flagged_not_hidden(
    signed_in: Callable[..., TestClient], explored: Warehouse
) -> None:
    html = signed_in("viewer").get("/feedback").text
    assert "3 detractors, 3 promoters" in html
    assert "Few answers: fewer than 30 detractors or promoters." in html
    assert html.count("Too few answers to tell") >= 1
    assert '<th scope="row" data-label="Theme">Delivery</th>' in html


def test_reading_the_page_is_audited(
    signed_in: Callable[..., TestClient], explored: Warehouse
) -> None:
    signed_in("analyst").get("/feedback", params={"theme": "staff"})
    log = explored.table("audit_log")
    rows = explored.to_pyarrow(log.filter(log.target_table == "feedback")).to_pylist()
    details = json.loads(rows[-1]["details"])
    assert rows[-1]["action"] == "read" and rows[-1]["actor"].startswith("user:analyst")
    assert details["page"] == "feedback" and details["filters"] == {"theme": "staff"}
    assert details["feedback_ids"] == ["f5", "f3", "f1"] and details["original_text"] is False


def test_the_page_in_chinese_is_accessible(
    signed_in: Callable[..., TestClient], explored: Warehouse
) -> None:
    html = signed_in("viewer", language="zh").get("/feedback").text
    assert h1(html) == "反馈"
    page = structure(html)
    fields = [a["id"] for tag, a in page.tags if tag in ("input", "select") and "id" in a]
    filter_fields = [f for f in fields if f.startswith("filter-")]
    assert len(filter_fields) == 12
    assert set(filter_fields) <= page.label_for, "every filter has a label"
    for attributes, body in page.script_bodies:
        assert attributes.get("src") or attributes.get("type") == "application/json", body[:80]
    assert 'lang="zh"' in html  # Chinese feedback carries its language


def test_an_empty_warehouse(signed_in: Callable[..., TestClient]) -> None:
    html = signed_in("viewer").get("/feedback").text
    assert "No feedback yet." in html
    assert "heatmap-chart-spec" not in html and "vega.js" not in html
    assert "There are not yet analysed answers from both detractors and promoters" in html


def test_themes_are_named_in_the_page_language(
    signed_in: Callable[..., TestClient], explored: Warehouse
) -> None:
    html = signed_in("viewer", language="zh").get("/feedback").text
    assert '<option value="delivery">配送</option>' in html
    f1 = cards(html)[card_ids(html).index("f1")]
    assert 'href="/feedback?theme=delivery"' in f1 and "配送</a>" in f1
    assert ">staff</a>" in f1  # not in the taxonomy: its id


def test_a_broken_taxonomy_leaves_the_theme_ids(
    signed_in: Callable[..., TestClient], explored: Warehouse, web_settings, caplog
) -> None:
    folder = web_settings.project / "themes"
    folder.mkdir(exist_ok=True)
    (folder / "en.yaml").write_text("themes: [not, a, mapping\n", encoding="utf-8")
    html = signed_in("viewer").get("/feedback").text
    assert '<option value="delivery">delivery</option>' in html
    assert "theme labels unavailable" in caplog.text


@pytest.mark.parametrize("role", ["viewer", "admin"])
def test_a_score_without_a_comment_is_not_waiting_for_analysis(
    signed_in: Callable[..., TestClient], explored: Warehouse, role: str
) -> None:
    build_ratings_only(explored)
    html = signed_in(role).get("/feedback", params={"touchpoint": "checkout"}).text
    assert card_ids(html) == ["r2", "r1"]
    for card, score in zip(cards(html), ("NPS 4", "Rating 2"), strict=True):
        assert "No comment, only a score." in card and score in card
        assert "Not analysed yet" not in card and "feedback-pending" not in card
        assert "Original" not in card  # an admin has no original text to read either
    f8 = signed_in(role).get("/feedback", params={"touchpoint": "app"}).text
    assert "Not analysed yet" in f8 and "No comment" not in f8  # f8 has a comment


def test_the_page_shows_new_and_erased_feedback_at_once(
    signed_in: Callable[..., TestClient], web_warehouse: Warehouse
) -> None:
    """The page's queries are cached per data version (``cxloop.storage.read_cache``): a
    second load reuses them, and new answers or an erasure show on the next load."""
    crowd = [(2, 3, ["delivery"]), (9, 3, ["price"])]
    build_survey_crowd(web_warehouse, crowd)
    client = signed_in("analyst")
    assert "3 detractors, 3 promoters" in client.get("/feedback").text
    hits = web_warehouse.read_cache.hits
    assert "3 detractors, 3 promoters" in client.get("/feedback").text
    assert web_warehouse.read_cache.hits > hits, "the second load reads the cache"
    build_survey_crowd(web_warehouse, [(1, 2, ["delivery"])], prefix="more")
    html = client.get("/feedback").text
    assert "5 detractors, 3 promoters" in html
    assert "more1" in card_ids(html)
    web_warehouse.delete("feedback", "feedback_id", ["more1"])
    web_warehouse.delete("feedback_insights", "feedback_id", ["more1"])
    html = client.get("/feedback").text
    assert "more1" not in card_ids(html) and "4 detractors, 3 promoters" in html
