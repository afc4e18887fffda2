"""Searching customers by name (any script, accents aside), e-mail, phone and ids."""

from __future__ import annotations

import pytest

from customer_data import build_company
from cxloop.errors import UsageError
from cxloop.storage import Warehouse
from cxloop.unify.search import search_customers


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory):
    from cxloop.storage import open_warehouse

    path = tmp_path_factory.mktemp("search") / "wh.duckdb"
    with open_warehouse(f"duckdb:///{path}") as wh:
        ids = build_company(wh)
        yield wh, ids


def found(company, q: str, **kwargs) -> set[str]:
    wh, ids = company
    names = {v: k for k, v in ids.items()}
    result = search_customers(wh, q, **kwargs)
    return {names[hit.customer_id] for hit in result.customers}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("ana", {"ana"}),
        ("Ana Ruiz", {"ana"}),
        ("ruiz ana", {"ana"}),
        ("jose", {"jose"}),
        ("JOSÉ garcía", {"jose"}),
        ("garc", {"jose"}),
        ("王秀英", {"xiuying"}),
        ("秀英", {"xiuying"}),
        ("王 秀英", {"xiuying"}),
        ("wang xiuying", {"xiuying"}),
        ("xiuying", {"xiuying"}),
        ("uiz", set()),  # words match from their start
        ("nobody", set()),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_search_by_name(company, q: str, expected: set[str]) -> None:
    assert found(company, q) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("ana.ruiz@example.es", {"ana"}),
        ("ANA.RUIZ@", {"ana"}),
        ("@example.mx", {"jose"}),
        ("@example", {"ana", "jose", "xiuying"}),
        ("+34 653 126 976", {"ana"}),
        ("653126976", {"ana"}),
        ("0034-653-126-976", {"ana"}),
        ("+52 55 1234 5678", {"jose"}),
        ("138-0013-8000", {"xiuying"}),
        ("12345", set()),  # too short to be a phone, and no one's id
        ("crm:C2", {"jose"}),
        ("W7", {"ana"}),
        ("A9", {"xiuying"}),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_search_by_email_phone_and_ids(company, q: str, expected: set[str]) -> None:
    assert found(company, q) == expected


def test_search_by_customer_id_prefix(company) -> None:
    _, ids = company
    assert found(company, ids["jose"]) == {"jose"}
    assert found(company, ids["jose"][:8]) >= {"jose"}


def test_a_chinese_query_finds_pinyin_records_with_a_phone_in_the_default_country(
    company,
) -> None:
    assert found(company, "13800138000", default_country="CN") == {"xiuying"}


def test_empty_query_lists_everyone_most_recently_seen_first(company) -> None:
    wh, ids = company
    result = search_customers(wh, "")
    assert result.total == 3 and len(result.customers) == 3
    seen = [hit.last_seen for hit in result.customers]
    assert seen == sorted(seen, reverse=True)
    ana = next(hit for hit in result.customers if hit.customer_id == ids["ana"])
    assert ana.sources == ["crm", "webshop"] and ana.records == 2
    assert ana.email == "ana.ruiz@example.es" and ana.country == "ES"


def test_pages(company) -> None:
    wh, _ = company
    first = search_customers(wh, "", limit=2)
    second = search_customers(wh, "", limit=2, offset=2)
    assert first.total == second.total == 3
    assert len(first.customers) == 2 and len(second.customers) == 1
    ids = [h.customer_id for h in first.customers + second.customers]
    assert len(set(ids)) == 3


@pytest.mark.parametrize(
    "q",
    ["'; DROP TABLE customers; --", "%", "_", "\\", "\x00ana", "a" * 5000, "🙂", "%' OR '1'='1"],
    ids=["sql", "percent", "underscore", "backslash", "nul", "long", "emoji", "or-1"],
)
def test_hostile_queries_are_only_text(company, q: str) -> None:
    wh, _ = company
    result = search_customers(wh, q)
    assert result.total <= (1 if "ana" in q else 0)
    assert search_customers(wh, "").total == 3


def test_bad_pages_are_refused(company) -> None:
    wh, _ = company
    with pytest.raises(UsageError):
        search_customers(wh, "ana", limit=0)
    with pytest.raises(UsageError):
        search_customers(wh, "ana", limit=101)
    with pytest.raises(UsageError):
        search_customers(wh, "ana", offset=-1)


@pytest.mark.parametrize(
    ("name", "query", "hit"),
    [
        ("José-María GARCÍA", "jose maria garcia", True),
        ("Françoise d'Aubigné", "francoise aubigne", True),
        ("Ñandú Müller", "nandu muller", True),
        ("Ana (Anita) O'Brien", "anita brien", True),
        ("Joséphine", "sephine", False),
        ("王秀英", "秀英", True),
    ],
    ids=["spanish", "french", "tilde-umlaut", "brackets-apostrophe", "mid-word", "chinese"],
)
def test_names_match_word_starts_accents_aside(
    warehouse: Warehouse, name: str, query: str, hit: bool
) -> None:
    import ibis

    from cxloop.unify.names import fold
    from cxloop.unify.search import _words_match, name_expr

    table = ibis.memtable({"name": [name]})
    words = (fold(query) or "").split()
    expr = table.filter(_words_match(name_expr(table.name), words, whole=False)).count()
    assert bool(warehouse.to_pyarrow(expr).as_py()) is hit


def test_regex_characters_in_a_query_are_literal(warehouse: Warehouse) -> None:
    import ibis

    from cxloop.unify.search import _words_match, name_expr

    table = ibis.memtable({"name": ["a.b (c)", "axb c"]})
    for words in (["a.b"], ["(c)"], ["[", "*", "+?"], ["\\d"]):
        expr = table.filter(_words_match(name_expr(table.name), words, whole=False)).count()
        assert warehouse.to_pyarrow(expr).as_py() <= 1
