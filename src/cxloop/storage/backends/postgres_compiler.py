"""Ibis's PostgreSQL compiler, mended where it writes SQL that Postgres refuses.

The PostgreSQL backend gives its Ibis connection a :class:`PortableCompiler`, so product code
can use these expressions on every engine.
"""

from __future__ import annotations

from typing import Any, ClassVar

import ibis.expr.datatypes as dt
import ibis.expr.operations as ops
import sqlglot.expressions as sge
from ibis.backends.sql.compilers.postgres import PostgresCompiler


class PortableCompiler(PostgresCompiler):
    """Ibis's Postgres compiler, mended where it writes SQL that Postgres refuses: a boolean
    cast to ``bigint`` or ``double precision`` goes through ``integer`` (the only numeric
    type Postgres casts a boolean to), as in ``(x > 1).cast("int64").sum()``; ``arbitrary``,
    ``first`` and ``last`` pick from an ``array_agg`` (Ibis writes ``first(x)`` and
    ``last(x)``, aggregates that only Ibis's own test databases define); a JSON string is
    unwrapped with ``json_extract_path_text`` written as a plain call (sqlglot rewrites Ibis's
    call into ``->> VARIADIC …``, a syntax error)."""

    SIMPLE_OPS: ClassVar[dict[type[ops.Node], str]] = {
        op: f for op, f in PostgresCompiler.SIMPLE_OPS.items() if op is not ops.Arbitrary
    }

    def visit_Cast(self, op: Any, *, arg: Any, to: dt.DataType) -> Any:
        if op.arg.dtype.is_boolean() and to.is_numeric() and not to.is_int32():
            arg = self.cast(arg, dt.int32)
        return super().visit_Cast(op, arg=arg, to=to)

    visit_TryCast = visit_Cast

    def _non_null_values(self, arg: Any, where: Any, order_by: Any = None) -> Any:
        """``array_agg`` of ``arg``'s non-null values (in ``order_by``), parenthesised."""
        cond = arg.is_(sge.null()).not_()
        where = cond if where is None else sge.And(this=cond, expression=where)
        return sge.paren(self.agg.array_agg(arg, where=where, order_by=order_by))

    def visit_Arbitrary(self, op: Any, *, arg: Any, where: Any) -> Any:
        # Ibis writes first(x), an aggregate Postgres does not have
        return sge.Bracket(
            this=self._non_null_values(arg, where), expressions=[sge.convert(1)], offset=1
        )

    def visit_First(
        self, op: Any, *, arg: Any, where: Any, order_by: Any, include_null: bool
    ) -> Any:
        if include_null:
            return super().visit_First(op, arg=arg, where=where, order_by=order_by,
                                       include_null=include_null)  # fmt: skip
        values = self._non_null_values(arg, where, order_by)
        return sge.Bracket(this=values, expressions=[sge.convert(1)], offset=1)

    def visit_Last(
        self, op: Any, *, arg: Any, where: Any, order_by: Any, include_null: bool
    ) -> Any:
        if include_null:
            return super().visit_Last(op, arg=arg, where=where, order_by=order_by,
                                      include_null=include_null)  # fmt: skip
        values = self._non_null_values(arg, where, order_by)
        return sge.Bracket(this=values, expressions=[self.f.cardinality(values)], offset=1)

    def json_extract_path_text(self, op: Any, arg: Any, *rest: Any) -> Any:
        b = "b" * op.arg.dtype.binary
        no_more = sge.Var(this="VARIADIC ARRAY[]::TEXT[]")
        return sge.Anonymous(this=f"json{b}_extract_path_text", expressions=[arg, *rest, no_more])
