"""Ibis's PySpark compiler, given rules it lacks or gets wrong for Spark SQL.

The Spark warehouse's Ibis connection (:mod:`cxloop.storage.backends.spark_ibis`) compiles
with a :class:`WarehouseCompiler`, so product code can use these expressions on every engine:

- **JSON arrays** (``json_value.array``, Ibis's ``ToJSONArray``): Ibis has no rule for Spark.
  The text is parsed into a Spark ``VARIANT`` and, when it is an array, each element is written
  back as JSON text: a null when the text is not a JSON array, as on DuckDB. JSON is text on
  Spark, so ``text.try_cast("json")`` leaves the text as it is (sqlglot wrote ``to_json``,
  which Spark refuses on a string); the rules that read it parse it.
- **JSON strings** (``json_value.str``): Ibis calls a pandas UDF, which Spark refuses inside a
  higher-order function such as ``transform`` (``json.array.map(lambda x: x.str)``) and which
  costs a Python worker anyway. Here it is a native expression: the string when the JSON value
  is one, otherwise null.
- **Filtered medians** (``median(where=…)``, ``approx_median(where=…)``): Ibis puts the filter
  into every argument of Spark's ``percentile``, the percentage too, which Spark refuses
  (it must be a constant). Here only the values are filtered.
"""

from __future__ import annotations

from typing import Any, ClassVar

import ibis.expr.datatypes as dt
import ibis.expr.operations as ops
import sqlglot as sg
import sqlglot.expressions as sge
from ibis.backends.sql.compilers.base import NULL
from ibis.backends.sql.compilers.pyspark import PySparkCompiler

#: the name the JSON-array rule gives each element inside its lambda
_ELEMENT = "__cxloop_json_element"


class WarehouseCompiler(PySparkCompiler):  # type: ignore[misc]
    """Ibis's PySpark compiler with rules for JSON arrays and strings and filtered medians
    (see the module docstring)."""

    __slots__ = ()

    SIMPLE_OPS: ClassVar[dict[type[ops.Node], str]] = {
        op: f for op, f in PySparkCompiler.SIMPLE_OPS.items() if op is not ops.UnwrapJSONString
    }

    def visit_TryCast(self, op: Any, *, arg: Any, to: dt.DataType) -> Any:
        # JSON is text on Spark: the rules below parse it (sqlglot would write to_json(text))
        if to.is_json() and op.arg.dtype.is_string():
            return arg
        return super().visit_TryCast(op, arg=arg, to=to)

    def visit_ToJSONArray(self, op: Any, *, arg: Any) -> Any:
        parsed = self.f.try_variant_get(self.f.try_parse_json(arg), "$", "array<variant>")
        element = sg.to_identifier(_ELEMENT)
        as_text = sge.Lambda(this=self.f.to_json(element), expressions=[element])
        return self.f.transform(parsed, as_text)

    def visit_UnwrapJSONString(self, op: Any, *, arg: Any) -> Any:
        value = self.f.try_parse_json(arg)
        is_string = self.f.schema_of_variant(value).eq(sge.convert("STRING"))
        return self.if_(is_string, self.f.variant_get(value, "$", "string"), NULL)

    def visit_Median(self, op: Any, *, arg: Any, where: Any) -> Any:
        if where is not None:
            arg = self.if_(where, arg, NULL)
        return self.f.percentile(arg, 0.5)

    def visit_ApproxMedian(self, op: Any, *, arg: Any, where: Any) -> Any:
        if not op.arg.dtype.is_floating():
            arg = self.cast(arg, dt.float64)
        if where is not None:
            arg = self.if_(where, arg, NULL)
        return self.f.approx_percentile(arg, 0.5)


#: the one compiler every Spark warehouse connection uses
compiler = WarehouseCompiler()
