"""The Feedback explorer's queries: filters, search in English, Spanish and Chinese, paging,
who sees which text, the heat map's counts and the detractor-against-promoter comparison."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cxloop.domain.access import Role
from cxloop.errors import NotFoundError, UsageError
from cxloop.share.feedback_explorer import (
    Visibility,
    filter_options,
    get_feedback,
    list_feedback,
    parse_themes,
    theme_sentiment_matrix,
    unhappy_themes,
)
from cxloop.share.feedback_filters import FeedbackFilters
from cxloop.storage import Warehouse, open_warehouse
from feedback_data import build_feedback, build_ratings_only, build_survey_crowd, insight

ADMIN = Visibility(original_text=True, customer_names=True)
REDACTED = Visibility()


@pytest.fixture(scope="module")
def explored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    """The nine pieces of feedback, made once: every test here only reads them."""
    path = tmp_path_factory.mktemp("explorer") / "wh.duckdb"
    with open_warehouse(f"duckdb:///{path}") as warehouse:
        build_feedback(warehouse)
        yield warehouse


def ids(warehouse: Warehouse, visibility: Visibility = REDACTED, **filters: object) -> list[str]:
    page = list_feedback(warehouse, FeedbackFilters(**filters), 100, visibility=visibility)
    assert page.total == len(page.items)
    return [item.feedback_id for item in page.items]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["f9", "f8", "f7", "f6", "f5", "f4", "f3", "f2", "f1"]),
        ({"language": "es"}, ["f9", "f5", "f2"]),
        ({"language": "ZH"}, ["f6", "f3"]),
        ({"sentiment": "negative"}, ["f3", "f2", "f1"]),
        ({"theme": "staff"}, ["f5", "f3", "f1"]),
        ({"theme": "价格"}, ["f6"]),
        ({"theme": "sta"}, []),  # a theme is matched whole
        ({"intent": "praise"}, ["f6", "f5", "f4"]),
        ({"touchpoint": "store"}, ["f9", "f6", "f5", "f4"]),
        ({"team": "team_delivery"}, ["f3", "f2", "f1"]),
        ({"nps_band": "detractor"}, ["f8", "f3", "f2", "f1"]),
        ({"nps_band": "passive"}, ["f7"]),
        ({"nps_band": "promoter"}, ["f6", "f5", "f4"]),
        ({"csat_band": "satisfied"}, ["f5", "f4"]),
        ({"csat_band": "neutral"}, ["f9"]),
        ({"ces_band": "difficult"}, ["f9"]),
        ({"ces_band": "easy"}, ["f7"]),
        ({"date_from": "2026-03-05"}, ["f9", "f8", "f7", "f6", "f5", "f4", "f3", "f2"]),
        ({"date_to": "2026-03-05"}, ["f2", "f1"]),
        ({"sentiment": "negative", "language": "en", "team": "team_delivery"}, ["f1"]),
    ],
)
def test_filters(explored: Warehouse, filters: dict, expected: list[str]) -> None:
    assert ids(explored, **filters) == expected


def test_dates_are_days_in_the_time_zone(explored: Warehouse) -> None:
    # f2 is at 09:30 UTC on 5 March: 18:30 that day in Tokyo, 23:30 on 4 March in Honolulu
    page = list_feedback(
        explored, FeedbackFilters(date_from="2026-03-05", date_to="2026-03-05"),
        timezone="Asia/Tokyo",
    )  # fmt: skip
    assert [i.feedback_id for i in page.items] == ["f2"]
    honolulu = list_feedback(
        explored, FeedbackFilters(date_from="2026-03-04", date_to="2026-03-04"),
        timezone="Pacific/Honolulu",
    )  # fmt: skip
    assert [i.feedback_id for i in honolulu.items] == ["f2"]  # 23:30 on 4 March there


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("delivery", ["f1"]),  # English, whatever the case
        ("DELIVERY LATE", ["f1"]),
        ("dark mode", ["f7"]),
        ("llegó", ["f2"]),  # Spanish, accent as written
        ("LLEGO", ["f2"]),  # accent left out, upper case
        ("atencion rapida", ["f5"]),
        ("málaga", ["f9"]),  # the text has MÁLAGA
        ("cuando", ["f9"]),
        ("送货", ["f3"]),  # Chinese substrings, no spaces needed
        ("客服态度", ["f3"]),
        ("很", ["f6"]),
        ("合理 服务", ["f6"]),
        ("tarde 送货", []),  # every word must be there
        ("a.b", []),  # punctuation is literal, not a pattern
        ("(", []),
    ],
)
def test_search_in_three_languages(explored: Warehouse, q: str, expected: list[str]) -> None:
    assert ids(explored, q=q) == expected
    assert ids(explored, ADMIN, q=q) == expected


def test_search_looks_only_in_the_text_the_caller_may_see(explored: Warehouse) -> None:
    assert ids(explored, ADMIN, q="ana@example.com") == ["f2"]
    assert ids(explored, q="ana@example.com") == []
    assert ids(explored, q="[email]") == ["f2"]
    assert ids(explored, ADMIN, q="4111") == ["f8"]
    assert ids(explored, q="4111") == []  # not analysed: not searchable without the original


def test_the_original_text_is_selected_only_for_admins(explored: Warehouse) -> None:
    plain = get_feedback(explored, "f1")
    assert plain.text is None and plain.customer_name is None
    assert plain.insight is not None and plain.insight.redacted_text.endswith("[PHONE]")
    full = get_feedback(explored, "f1", visibility=ADMIN)
    assert full.text is not None and "+1 555 0100" in full.text
    assert full.customer_name == "John Smith" and full.team_name == "Delivery crew"
    assert Visibility.for_role(Role.ADMIN).original_text
    assert not Visibility.for_role(Role.ANALYST).original_text
    assert Visibility.for_role(Role.AGENT).customer_names
    assert not Visibility.for_role(Role.VIEWER).customer_names


def test_insights_and_their_absence(explored: Warehouse) -> None:
    entry = get_feedback(explored, "f6")
    assert entry.insight is not None
    assert entry.insight.themes == ["价格"] and entry.insight.sentiment_label == "positive"
    assert entry.language == "zh"
    assert get_feedback(explored, "f8").insight is None
    with pytest.raises(NotFoundError, match="nope"):
        get_feedback(explored, "nope")
    with pytest.raises(NotFoundError):
        get_feedback(explored, "f1\x00")


def test_paging(explored: Warehouse) -> None:
    pages = [list_feedback(explored, limit=4, offset=offset) for offset in (0, 4, 8, 12)]
    assert [p.total for p in pages] == [9, 9, 9, 9]
    assert [len(p.items) for p in pages] == [4, 4, 1, 0]
    seen = [i.feedback_id for p in pages for i in p.items]
    assert len(set(seen)) == 9
    with pytest.raises(UsageError, match="limit"):
        list_feedback(explored, limit=0)
    with pytest.raises(UsageError, match="offset"):
        list_feedback(explored, offset=-1)


def test_bad_filters_name_their_field() -> None:
    with pytest.raises(ValueError, match="sentiment"):
        FeedbackFilters(sentiment="angry")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="date_from must not be after date_to"):
        FeedbackFilters(date_from="2026-03-09", date_to="2026-03-01")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="colour"):
        FeedbackFilters(colour="red")  # type: ignore[call-arg]
    assert FeedbackFilters(q="a\x00b").q == "ab"


def test_filter_options(explored: Warehouse) -> None:
    options = filter_options(explored)
    assert options.languages == ["en", "es", "zh"]
    assert options.themes == ["app", "delivery", "price", "staff", "store", "价格"]
    assert options.touchpoints == ["app", "delivery", "store"]
    assert options.teams == [("team_delivery", "Delivery crew"), ("team_store", "Store staff")]


def test_theme_sentiment_matrix(explored: Warehouse) -> None:
    matrix = theme_sentiment_matrix(explored)
    assert list(matrix.columns) == ["negative", "neutral", "positive", "total"]
    assert matrix.loc["delivery"].tolist() == [3, 0, 0, 3]
    assert matrix.loc["staff"].tolist() == [2, 0, 1, 3]
    assert matrix.loc["价格"].tolist() == [0, 0, 1, 1]
    assert matrix.index[0] in {"delivery", "staff"}  # the most mentioned first
    spanish = theme_sentiment_matrix(explored, FeedbackFilters(language="es"))
    assert spanish.loc["staff"].tolist() == [0, 0, 1, 1]
    assert theme_sentiment_matrix(explored, FeedbackFilters(q="nothing like this")).empty


def test_unhappy_themes_counts_detractors_and_promoters(warehouse: Warehouse) -> None:
    build_survey_crowd(
        warehouse,
        [
            (2, 24, ["delivery"]),
            (5, 6, ["delivery", "price"]),
            (3, 10, []),
            (8, 15, ["delivery"]),  # passives: in neither group
            (10, 4, ["delivery"]),
            (9, 26, ["price"]),
            (9, 10, []),
        ],
    )
    result = unhappy_themes(warehouse, FeedbackFilters(nps_band="passive"))  # band ignored
    assert (result.detractors, result.promoters) == (40, 40)
    delivery = next(t for t in result.themes if t.theme == "delivery")
    assert (delivery.detractors, delivery.promoters) == (30, 4)
    assert delivery.detractor_share == pytest.approx(0.75)
    assert delivery.verdict == "detractors" and not delivery.small_sample
    price = next(t for t in result.themes if t.theme == "price")
    assert (price.detractors, price.promoters) == (6, 26)
    assert price.verdict == "promoters"
    assert result.leading() == delivery
    assert result.themes[0].theme == "delivery"


def test_parse_themes_reads_only_lists_of_strings() -> None:
    assert parse_themes('["a", 3, "b"]') == ["a", "b"]
    assert parse_themes("not json") == [] and parse_themes(None) == []
    assert parse_themes('{"a": 1}') == []


def test_themes_however_the_json_was_written(warehouse: Warehouse) -> None:
    build_feedback(warehouse)
    raw = ['["价格", "say \\"hi\\""]', '[ "价格" ]', '["say", "hi"]', '{"价格": 1}']
    for n, themes in enumerate(raw):
        warehouse.append_rows("feedback", [{"feedback_id": f"j{n}", "text": "x"}])
        row = insight(f"j{n}", "zh", "x", "neutral", [], None) | {"themes": themes}
        warehouse.append_rows("feedback_insights", [row])
    found = {
        name: [i.feedback_id for i in list_feedback(warehouse, FeedbackFilters(theme=name)).items]
        for name in ("价格", 'say "hi"', "say", "hi")
    }
    assert sorted(found["价格"]) == ["f6", "j0", "j1"]  # escaped and unescaped JSON alike
    assert found['say "hi"'] == ["j0"]
    assert found["say"] == ["j2"] and found["hi"] == ["j2"]
    assert get_feedback(warehouse, "j3").insight.themes == []  # not a list: no themes


def test_a_theme_listed_twice_counts_once(warehouse: Warehouse) -> None:
    build_survey_crowd(warehouse, [(1, 3, ["delivery", "delivery"]), (10, 3, ["price"])])
    assert theme_sentiment_matrix(warehouse).loc["delivery"].tolist() == [3, 0, 0, 3]
    delivery = next(t for t in unhappy_themes(warehouse).themes if t.theme == "delivery")
    assert (delivery.detractors, delivery.promoters) == (3, 0)
    assert filter_options(warehouse).themes == ["delivery", "price"]


def test_any_stored_id_can_be_listed(warehouse: Warehouse) -> None:
    odd = ["crm:it's", "crm:nul\x00here", 'crm:"quoted"']
    warehouse.append_rows("feedback", [{"feedback_id": fid, "text": "x"} for fid in odd])
    page = list_feedback(warehouse, limit=10)
    assert sorted(i.feedback_id for i in page.items) == sorted(odd) and page.total == 3
    assert get_feedback(warehouse, "crm:it's").feedback_id == "crm:it's"


def test_a_score_without_a_comment_has_nothing_to_analyse(warehouse: Warehouse) -> None:
    build_feedback(warehouse)
    build_ratings_only(warehouse)
    for visibility in (ADMIN, REDACTED):
        page = list_feedback(warehouse, FeedbackFilters(), 100, visibility=visibility)
        comments = {item.feedback_id: item.has_text for item in page.items}
        assert comments == {f"f{n}": True for n in range(1, 10)} | {"r1": False, "r2": False}
    r2 = get_feedback(warehouse, "r2")
    assert (r2.has_text, r2.insight, r2.nps) == (False, None, 4)
    assert get_feedback(warehouse, "f8").has_text  # a comment not analysed yet


@pytest.mark.parametrize("visibility", [REDACTED, ADMIN])
@pytest.mark.parametrize("filters", [{}, {"sentiment": "negative"}, {"theme": "delivery"}])
def test_a_page_equals_the_whole_join_narrowed_to_it(
    explored: Warehouse, visibility: Visibility, filters: dict
) -> None:
    """A page narrows feedback, insights and customers to its ids before joining them; the
    rows are those of the whole join kept to the same ids."""
    from cxloop.share.feedback_explorer import _joined, entry_from_row

    for offset in (0, 3):
        page = list_feedback(explored, FeedbackFilters(**filters), 3, offset, visibility=visibility)
        ids = [item.feedback_id for item in page.items]
        whole = _joined(explored, visibility)
        rows = explored.to_pyarrow(
            whole.filter(whole.feedback_id.isin(ids)).drop("theme_list")
        ).to_pylist()
        expected = {row["feedback_id"]: entry_from_row(row) for row in rows}
        assert page.items == [expected[i] for i in ids]
