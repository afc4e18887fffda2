"""The record of ids an import has loaded: new means new, and anything unsure is not new."""

from __future__ import annotations

import pyarrow as pa

from cxloop.collect.import_keys import ImportedKeys
from cxloop.storage.scratch import ScratchEngine


def test_new_ids_are_new_once() -> None:
    with ScratchEngine() as scratch:
        keys = ImportedKeys(scratch)
        assert keys.all_new(pa.array(["s:1", "s:2"]))
        assert keys.all_new(pa.array(["s:3"]))
        assert not keys.all_new(pa.array(["s:4", "s:2"]))  # seen in an earlier batch
        assert not keys.all_new(pa.array(["s:4"]))  # recorded even by a batch that was not new
        assert keys.all_new(pa.array([], pa.string()))


def test_repeats_and_nulls_within_a_batch_are_not_new() -> None:
    with ScratchEngine() as scratch:
        keys = ImportedKeys(scratch)
        assert not keys.all_new(pa.array(["a", "b", "a"]))
        assert not keys.all_new(pa.array(["c", None]))
        assert keys.all_new(pa.chunked_array([["d"], ["e"]]))


def test_each_import_starts_empty() -> None:
    with ScratchEngine() as scratch:
        assert ImportedKeys(scratch).all_new(pa.array(["a"]))
        assert ImportedKeys(scratch).all_new(pa.array(["a"]))
