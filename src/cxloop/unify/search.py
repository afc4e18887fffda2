"""Finding customers by what an agent knows of them: a name (in any script, accents aside), an
e-mail address or part of one, a phone number however it is written, a customer id, or a
source's own id of the person.

The query is read in Python (folded like identity resolution folds names, phones read into
E.164 with the same code); matching is Ibis expressions over ``customers`` (golden records)
and ``source_records`` (through ``identities``), so it runs where the warehouse is. User input
only ever becomes Ibis literals, never SQL text.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from functools import reduce

import ibis
import ibis.expr.types as ir
from pydantic import BaseModel, Field

from cxloop.errors import UsageError
from cxloop.storage import Warehouse
from cxloop.unify.contacts import phone_e164
from cxloop.unify.lookup import CUSTOMER_ID_PREFIX, clean_reference
from cxloop.unify.names import fold
from cxloop.unify.pinyin import has_han, is_han, split_han_name, to_pinyin

MAX_LIMIT = 100
MAX_QUERY_LENGTH = 200
_PHONE_LIKE = re.compile(r"^\+?[\d\s().\-/]+$")
_MIN_PHONE_DIGITS = 6
_PHONE_TAIL = 8


#: what separates the words of a name (as :func:`cxloop.unify.names.fold` reads them)
_SEPARATORS = " \t.,;:'\"`´’‘-–—_/()·"
#: the most words of a query that are matched (the rest is ignored)
MAX_WORDS = 8


def accented_forms() -> dict[str, str]:
    """Each bare Latin letter and its lower-case forms with diacritics (U+00C0–U+024F)."""
    forms: dict[str, list[str]] = {}
    for code in range(0x00C0, 0x0250):
        ch = chr(code)
        if ch != ch.lower():
            continue
        bare = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if len(bare) == 1 and bare.isascii() and bare.isalpha() and bare != ch:
            forms.setdefault(bare, []).append(ch)
    return {bare: "".join(chars) for bare, chars in forms.items()}


_ACCENTED = accented_forms()
#: the separators as a bracket expression that RE2, POSIX and Java regular expressions read alike
_SEPARATOR_CLASS = "[" + "".join("\\" + c if c in "\\]^-[" else c for c in _SEPARATORS) + "]"
_WORD_START = f"(^|{_SEPARATOR_CLASS})"
_WORD_END = f"($|{_SEPARATOR_CLASS})"


def word_pattern(word: str, *, whole: bool = False) -> str:
    """A regular expression for a folded query word at the start of a word of a lower-case
    name, each bare letter also matching its accented forms (``garcia`` matches "garcía").

    Examples
    --------
    >>> import re
    >>> bool(re.search(word_pattern("jose"), "maría josé garcía"))
    True
    >>> bool(re.search(word_pattern("se"), "josé"))
    False
    """
    letters = []
    for ch in word:
        accented = _ACCENTED.get(ch)
        letters.append(f"[{ch}{accented}]" if accented else re.escape(ch))
    return _WORD_START + "".join(letters) + (_WORD_END if whole else "")


class CustomerHit(BaseModel):
    """One customer found, as a results table lists it."""

    customer_id: str
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    country: str | None = None
    language: str | None = None
    sources: list[str] = Field(default_factory=list, description="Sources of its records.")
    records: int = Field(0, description="Source records linked to the customer.")
    first_seen: datetime | None = None
    last_seen: datetime | None = None


class CustomerSearchResult(BaseModel):
    """A page of customers matching a query, most recently seen first."""

    query: str
    total: int = Field(description="Customers matching, on every page.")
    limit: int
    offset: int
    customers: list[CustomerHit]


def name_expr(*parts: ir.StringValue) -> ir.StringValue:
    """The name parts of a record in one lower-case string (missing parts as empty)."""
    joined = parts[0].fill_null("")
    for part in parts[1:]:
        joined = joined + " " + part.fill_null("")
    return joined.lower()


def _words_match(haystack: ir.StringValue, words: list[str], *, whole: bool) -> ir.BooleanValue:
    """Every word is in ``haystack`` (a lower-case name): Chinese anywhere; Latin at a word
    start, accents aside, or as a whole word when ``whole``."""
    conditions = []
    for word in words[:MAX_WORDS]:
        if all(is_han(ch) for ch in word):
            conditions.append(haystack.contains(word))
        else:
            conditions.append(haystack.re_search(word_pattern(word, whole=whole)))
    return reduce(lambda a, b: a & b, conditions)


def _name_condition(text: str) -> tuple[list[str], list[str]]:
    """The query's words as folded (original script) and, for Chinese, in pinyin."""
    folded = fold(text) or ""
    words = folded.split()
    pinyin: list[str] = []
    if has_han(folded):
        for word in words:
            if not all(is_han(ch) for ch in word):
                pinyin.append(word)
            elif len(word) >= 2:
                given, family = split_han_name(word)
                pinyin += [to_pinyin(family), to_pinyin(given)]
            else:
                pinyin.append(to_pinyin(word))
    return words, pinyin


def _digits(column: ir.StringValue) -> ir.StringValue:
    return column.fill_null("").re_replace(r"\D", "")


def matching_customers_expr(
    customers: ir.Table,
    records: ir.Table,
    identities: ir.Table,
    query: str,
    *,
    default_country: str | None = None,
) -> ir.Table:
    """The ids (column ``customer_id``, distinct) of the customers ``query`` matches."""
    golden: list[ir.BooleanValue] = []
    by_record: list[ir.BooleanValue] = []
    direct: list[ir.Table] = [
        identities.filter(identities.source_id == query).select("customer_id"),
    ]
    if query.startswith(CUSTOMER_ID_PREFIX):
        golden.append(customers.customer_id.startswith(query))
    if ":" in query:
        direct.append(identities.filter(identities.record_id == query).select("customer_id"))
    digits = re.sub(r"\D", "", query)
    if "@" in query:
        email = query.lower()
        golden.append(customers.email.fill_null("").lower().contains(email))
        by_record.append(records.email.fill_null("").strip().lower().contains(email))
    elif _PHONE_LIKE.match(query) and len(digits) >= _MIN_PHONE_DIGITS:
        e164 = phone_e164(query, (default_country,)) if default_country else None
        key = re.sub(r"\D", "", e164) if e164 else digits
        if len(key) >= _PHONE_TAIL:
            tail = key[-_PHONE_TAIL:]
            golden.append(_digits(customers.phone).endswith(tail))
            by_record.append(_digits(records.phone).endswith(tail))
        else:
            golden.append(_digits(customers.phone).contains(key))
            by_record.append(_digits(records.phone).contains(key))
    else:
        words, pinyin = _name_condition(query)
        if words:
            golden_name = name_expr(customers.name)
            record_name = name_expr(records.first_name, records.last_name, records.name)
            golden_hit = _words_match(golden_name, words, whole=False)
            record_hit = _words_match(record_name, words, whole=False)
            if pinyin:
                golden_hit |= _words_match(golden_name, pinyin, whole=True)
                record_hit |= _words_match(record_name, pinyin, whole=True)
            golden.append(golden_hit)
            by_record.append(record_hit)
    parts = list(direct)
    if golden:
        parts.append(customers.filter(reduce(lambda a, b: a | b, golden)).select("customer_id"))
    if by_record:
        hits = records.filter(reduce(lambda a, b: a | b, by_record)).select("record_id")
        parts.append(identities.semi_join(hits, "record_id").select("customer_id"))
    return ibis.union(*parts, distinct=True) if len(parts) > 1 else parts[0].distinct()


def search_customers(
    warehouse: Warehouse,
    q: str | None = None,
    limit: int = 20,
    offset: int = 0,
    *,
    default_country: str | None = None,
) -> CustomerSearchResult:
    """Customers whose name, e-mail, phone, customer id or source id matches ``q``.

    Parameters
    ----------
    warehouse
        The warehouse, after ``cxloop resolve``.
    q
        What to look for. A name matches word by word at word starts, in the golden record or
        any source record ("gar lop" finds García López; "jose" finds José; 秀英 finds 王秀英,
        and 王秀英 also finds records written "Wang Xiuying"). Text with ``@`` matches e-mail
        addresses containing it; a phone number matches on its last 8 digits, read into
        E.164 first (national numbers in ``default_country``). ``cus_…`` matches customer
        ids by prefix, ``source:source_id`` a source record, and any text a source's own id
        exactly. Empty: every customer.
    limit, offset
        The page: at most ``limit`` (1 to 100) customers after skipping ``offset``.
    default_country
        Region for reading national phone numbers (``resolve_default_country``).

    Returns
    -------
    CustomerSearchResult
        Most recently seen first.

    Examples
    --------
    >>> search_customers(wh, "garcía", limit=5).total  # doctest: +SKIP
    12
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(f"limit must be between 1 and {MAX_LIMIT}")
    if offset < 0:
        raise UsageError("offset cannot be negative")
    query = clean_reference(q or "")[:MAX_QUERY_LENGTH]
    customers = warehouse.table("customers")
    identities = warehouse.table("identities")
    if query:
        ids = matching_customers_expr(
            customers,
            warehouse.table("source_records"),
            identities,
            query,
            default_country=default_country,
        )
        found = customers.semi_join(ids, "customer_id")
    else:
        found = customers
    # one pass: the page, each row carrying the number of matches
    counted = found.select(
        *(n for n in CustomerHit.model_fields if n in found.columns),
        _total=found.customer_id.count().over(ibis.window()),
    )
    page = counted.order_by([ibis.desc(counted.last_seen), counted.customer_id]).limit(
        limit, offset=offset
    )
    rows = warehouse.to_pyarrow(page).to_pylist()
    if rows:
        total = int(rows[0]["_total"])
    else:  # past the last page: count on its own
        total = int(warehouse.to_pyarrow(found.count()).as_py() or 0)
    for row in rows:
        del row["_total"]
    sources = _sources(warehouse, identities, [r["customer_id"] for r in rows])
    hits = [
        CustomerHit.model_validate(
            {**row, "sources": sorted(set(sources.get(row["customer_id"], []))),
             "records": len(sources.get(row["customer_id"], []))}
        )
        for row in rows
    ]  # fmt: skip
    return CustomerSearchResult(
        query=query, total=total, limit=limit, offset=offset, customers=hits
    )


def _sources(warehouse: Warehouse, identities: ir.Table, ids: list[str]) -> dict[str, list[str]]:
    if not ids:
        return {}
    mine = identities.filter(identities.customer_id.isin(ids)).select("customer_id", "source")
    out: dict[str, list[str]] = {}
    for row in warehouse.to_pyarrow(mine).to_pylist():
        out.setdefault(row["customer_id"], []).append(row["source"])
    return out
