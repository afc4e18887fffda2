"""Trimming text in Arrow: the same as trimming every value, without looking at most of them."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from cxloop.collect.coercion import trimmed
from cxloop.collect.text_trimming import (
    WHITESPACE,
    add_trimmed_columns,
    may_need_trimming,
    trimmed_values,
)
from cxloop.storage.scratch import ScratchEngine

SCRATCH = ScratchEngine()
TEXT = st.text(alphabet=st.sampled_from(list(WHITESPACE) + list("aé中\u00e0\u2028x")), max_size=6)


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.none() | TEXT, min_size=1, max_size=12),
    start=st.integers(0, 3),
    large=st.booleans(),
)
def test_trimming_in_arrow_matches_trimming_in_sql(values, start, large) -> None:
    type_ = pa.large_string() if large else pa.string()
    array = pa.array(values, type_).slice(min(start, len(values) - 1))  # slices have offsets
    expected = [None if v is None else v.strip(WHITESPACE) for v in array.to_pylist()]
    assert trimmed_values(array).to_pylist() == expected
    if any(v is not None and v != v.strip(WHITESPACE) for v in array.to_pylist()):
        assert may_need_trimming(array)  # never a false "no"
    # the SQL path gives the same values, with empty text as NULL
    sql = SCRATCH.query(f"SELECT {trimmed('v')} AS v FROM t", t=pa.table({"v": array}))
    assert sql["v"].to_pylist() == [v or None for v in expected]


def test_columns_without_whitespace_are_not_copied() -> None:
    clean = pa.array(["a", "b c", None, ""])
    assert not may_need_trimming(clean)
    assert trimmed_values(clean) is clean
    assert may_need_trimming(pa.array(["a", "b\u3000"]))
    assert not may_need_trimming(pa.array([None, None], pa.string()))
    assert not may_need_trimming(pa.array([], pa.string()))


def test_only_text_columns_are_trimmed_and_the_source_column_is_kept() -> None:
    batch = pa.record_batch({"s": [" x "], "n": [1]})
    out = add_trimmed_columns(batch, {"s": "__s", "n": "__n"})
    assert out.column_names == ["s", "n", "__s", "__n"]
    assert out.column("s").to_pylist() == [" x "] and out.column("__s").to_pylist() == ["x"]
    assert out.column("__n").to_pylist() == [1]
