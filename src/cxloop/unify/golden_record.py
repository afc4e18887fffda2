"""Golden records: one row per customer, each field taken from the best of its source records.

Survivorship, field by field: records of the most trusted source come first (the order in
``trusted_sources``; unlisted sources after them), then the most recent record (its
``created_at``, else when it was imported); the first non-empty value wins. A full name (given
and family name) is preferred to a partial one. Attributes merge key by key with the same
order. ``first_seen``/``last_seen`` span the records' creation and the customer's activity.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from cxloop.unify.features import golden_columns, map_unique
from cxloop.unify.names import display_name
from cxloop.unify.options import ResolveOptions
from cxloop.unify.pinyin import has_han

#: the golden fields beyond the ``customers`` table's first version; written only where the
#: table has the column
EXTRA_FIELDS = ("first_name", "last_name", "birth_date", "address", "city", "postcode")


def survivorship_order(records: pd.DataFrame, trusted_sources: list[str]) -> pd.DataFrame:
    """``records`` sorted best first within each customer (see the module docstring).

    The order of ``sort_values`` on customer, source rank, ``seen_at`` (newest first) and
    record id, missing values last, computed as one ``np.lexsort`` over integer codes:
    sorting a million rows by their string columns took seconds.
    """
    rank = {source: i for i, source in enumerate(trusted_sources)}
    ranks = records["source"].map(rank).fillna(len(rank)).astype(int).to_numpy()
    customers = _sort_codes(records["customer_id"])
    newest_first = _sort_codes(records["seen_at"], descending=True)
    record_ids = _sort_codes(records["record_id"])
    order = np.lexsort((record_ids, newest_first, ranks, customers))
    return records.iloc[order]


def _sort_codes(values: pd.Series, *, descending: bool = False) -> np.ndarray:
    """Sort keys: each value's position among the sorted distinct values (negated when
    ``descending``), missing values after all the others either way."""
    codes, uniques = pd.factorize(values, sort=True)
    codes = codes.astype(np.int64)
    if descending:
        return np.where(codes < 0, 1, -codes)
    return np.where(codes < 0, len(uniques), codes)


def golden_records(
    records: pd.DataFrame,
    activity: pd.DataFrame,
    *,
    options: ResolveOptions,
    now: datetime,
) -> pd.DataFrame:
    """One golden row per ``customer_id`` in ``records`` (source records with their
    ``customer_id`` and ``seen_at``); ``activity`` has customer_id, first_ts, last_ts.
    ``options.trusted_sources`` orders the sources."""
    if records.empty:
        return pd.DataFrame(
            columns=["customer_id", "name", "email", "phone", "language", "country",
                     "attributes", "first_seen", "last_seen", "updated_at", *EXTRA_FIELDS]
        )  # fmt: skip
    ordered = survivorship_order(records, options.trusted_sources)
    cleaned = golden_columns(ordered, options)
    names = _names(ordered)
    values = pd.DataFrame(
        {
            "customer_id": ordered["customer_id"].to_numpy(),
            "full_name": names["full"].to_numpy(),
            "any_name": names["any"].to_numpy(),
            "email": cleaned["email"].to_numpy(),
            "phone": cleaned["phone"].to_numpy(),
            "language": cleaned["language"].to_numpy(),
            "country": cleaned["country"].to_numpy(),
            "first_name": _strip(ordered["first_name"]).to_numpy(),
            "last_name": _strip(ordered["last_name"]).to_numpy(),
            "birth_date": ordered["birth_date"].to_numpy(),
            "address": _strip(ordered["address"]).to_numpy(),
            "city": _strip(ordered["city"]).to_numpy(),
            "postcode": _strip(ordered["postcode"]).to_numpy(),
        },
        # as objects: inferring Arrow strings for every column, only to group them, took
        # longer than the grouping
        dtype=object,
    )
    golden = values.groupby("customer_id", sort=True).first()
    golden["name"] = golden["full_name"].where(golden["full_name"].notna(), golden["any_name"])
    golden = golden.drop(columns=["full_name", "any_name"])
    golden["attributes"] = _merged_attributes(ordered)
    span = _span(ordered, activity)
    golden["first_seen"] = span["first_seen"]
    golden["last_seen"] = span["last_seen"]
    golden["updated_at"] = pd.Timestamp(now)
    golden = golden.reset_index()
    columns = ["customer_id", "name", "email", "phone", "language", "country", "attributes",
               "first_seen", "last_seen", "updated_at", *EXTRA_FIELDS]  # fmt: skip
    return golden[columns]


def _strip(values: pd.Series) -> pd.Series:
    return map_unique(values, lambda v: " ".join(str(v).split()) or None)


def _names(records: pd.DataFrame) -> pd.DataFrame:
    """Each record's display name, and the same only when it is a full name."""
    first, last, whole = records["first_name"], records["last_name"], records["name"]
    shown = pd.Series([None] * len(records), index=records.index, dtype=object)
    # given and family name, neither in Chinese characters: "given family", spaces collapsed
    # (what display_name gives), without a Python call per name
    first_c, last_c = _collapsed(first), _collapsed(last)
    latin_pair = pd.Series(True, index=records.index)
    for part in (first_c, last_c):
        filled = part.fillna("")
        latin_pair &= part.notna() & filled.ne("") & ~filled.str.contains(_HAN, regex=True)
    shown[latin_pair] = (first_c[latin_pair] + " " + last_c[latin_pair]).astype(object)
    rest = ~latin_pair
    keys = pd.Series(
        list(zip(first[rest], last[rest], whole[rest], strict=True)), index=records.index[rest]
    )
    shown[rest] = map_unique(keys, lambda k: display_name(*(None if _missing(v) else v for v in k)))
    has_parts = first.notna() & last.notna()
    whole_is_full = map_unique(whole, _is_full_name).eq(True)
    full = shown.where(has_parts | (first.isna() & last.isna() & whole_is_full), None)
    return pd.DataFrame({"full": full, "any": shown}, index=records.index)


def _is_full_name(value: Any) -> bool:
    """Whether a record's whole ``name`` has a given and a family name (two words, or two
    Chinese characters)."""
    return isinstance(value, str) and (
        len(value.split()) >= 2 or (has_han(value) and len(value) >= 2)
    )


_HAN = "[\u4e00-\u9fff\u3400-\u4dbf]"


def _collapsed(values: pd.Series) -> pd.Series:
    """Strings with runs of white space as one space, trimmed; missing stays missing."""
    text = values.astype("str")
    return text.str.replace(r"\s+", " ", regex=True).str.strip().where(values.notna())


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA


def _merged_attributes(ordered: pd.DataFrame) -> pd.Series:
    """Per customer: the attributes of its records, best record's value winning per key.

    Source systems repeat a handful of attribute objects across millions of records, so each
    distinct JSON text is read once, and each distinct sequence of texts merged once.
    """
    texts_of: dict[str, list[str]] = {}
    for cid, text in zip(
        ordered["customer_id"].tolist(), ordered["attributes"].tolist(), strict=True
    ):
        texts = texts_of.setdefault(cid, [])
        if isinstance(text, str) and text:
            texts.append(text)
    parsed: dict[str, dict[str, Any]] = {}
    merged: dict[tuple[str, ...], str | None] = {}
    out: dict[str, str | None] = {}
    for cid, texts in texts_of.items():
        key = tuple(texts)
        if key not in merged:
            merged[key] = _merge_texts(key, parsed)
        out[cid] = merged[key]
    return pd.Series(out, dtype=object)


def _merge_texts(texts: tuple[str, ...], parsed: dict[str, dict[str, Any]]) -> str | None:
    """The JSON of ``texts`` merged key by key, the first non-empty value winning."""
    target: dict[str, Any] = {}
    for text in texts:
        if text not in parsed:
            parsed[text] = _non_empty_items(text)
        for key, value in parsed[text].items():
            if key not in target:
                target[key] = value
    if not target:
        return None
    return json.dumps(target, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _non_empty_items(text: str) -> dict[str, Any]:
    """The keys of a JSON object with a value other than null or ""; nothing for text that is
    not a JSON object."""
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: value for key, value in data.items() if value not in (None, "")}


def _span(records: pd.DataFrame, activity: pd.DataFrame) -> pd.DataFrame:
    seen = records.groupby("customer_id")["seen_at"].agg(["min", "max"])
    if not activity.empty:
        act = activity.set_index("customer_id")[["first_ts", "last_ts"]]
        seen = seen.join(act, how="left")
        first = pd.concat([seen["min"], seen["first_ts"]], axis=1).min(axis=1)
        last = pd.concat([seen["max"], seen["last_ts"]], axis=1).max(axis=1)
    else:
        first, last = seen["min"], seen["max"]
    return pd.DataFrame({"first_seen": first, "last_seen": last})
