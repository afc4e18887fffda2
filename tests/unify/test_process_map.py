"""Work split across processes gives what one process gives, in order."""

from __future__ import annotations

import functools

import pandas as pd
import pytest

from cxloop.unify import process_map
from cxloop.unify.contacts import international_e164
from cxloop.unify.features import phones_e164
from cxloop.unify.options import ResolveOptions
from cxloop.unify.process_map import map_in_processes


def test_results_come_back_in_order_from_every_worker() -> None:
    values = [str(n) for n in range(1000)]
    got = map_in_processes(functools.partial(int, base=16), values, workers=2, min_values=0)
    assert got == [int(v, 16) for v in values]
    assert map_in_processes(abs, [], workers=2, min_values=0) == []


def test_phones_read_in_processes_match_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    written = ["+34 653 126 976", "0034653126977", "(212) 555-0123", "020 7946 0958",
               "138 0013 8000", "12", "tel: 653-126-978", None, "+1 212 555 0199"] * 30  # fmt: skip
    phones = pd.Series([w if w is None else f"{w}" for w in written])
    countries = pd.Series(["ES", None, "US", "GB", "CN", None, "ES", None, None] * 30)
    languages = pd.Series(["es", "es", "en", "en-GB", "zh", None, None, None, "en"] * 30)
    options = ResolveOptions()
    monkeypatch.setattr(process_map, "MIN_VALUES", 10**9)
    alone = phones_e164(phones, countries, languages, options)
    monkeypatch.setattr(process_map, "MIN_VALUES", 0)
    split = phones_e164(phones, countries, languages, options)
    assert alone.tolist() == split.tolist()
    assert alone.iloc[0] == "+34653126976" and alone.iloc[2] == "+12125550123"
    assert map_in_processes(international_e164, ["34653126976"], min_values=0) == ["+34653126976"]
