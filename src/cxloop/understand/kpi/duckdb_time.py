"""DuckDB's own epoch functions, declared for Ibis (builtin UDFs: nothing runs in Python).

This module leaves out ``from __future__ import annotations`` on purpose: Ibis reads the
signature's data types from the annotations as objects.
"""

import ibis
import ibis.expr.datatypes as dt


@ibis.udf.scalar.builtin
def epoch_us(ts: dt.Timestamp(timezone="UTC")) -> dt.int64:  # type: ignore[valid-type,empty-body]
    """Microseconds since the epoch of a TIMESTAMPTZ (no time-zone lookup)."""


@ibis.udf.scalar.builtin
def make_timestamp(us: dt.int64) -> dt.timestamp:  # type: ignore[valid-type,empty-body]
    """A naive TIMESTAMP from microseconds since the epoch."""
