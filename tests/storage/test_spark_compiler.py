"""What the Spark warehouse's compiler writes for quantiles, checked without a Spark session:
exact quantiles stay exact (Spark's ``percentile``), approximate ones are Spark's
``approx_percentile`` (docs/spark.md says so)."""

from __future__ import annotations

import ibis
import pytest

pytest.importorskip("pyspark")


@pytest.fixture(scope="module")
def spark_sql():
    from ibis.backends.pyspark import Backend

    from cxloop.storage.backends.spark_compiler import compiler

    if ibis.options.pyspark is None:  # set when a Spark connection is made; none is here
        ibis.options.pyspark = Backend.Options()
    table = ibis.table({"x": "float64", "keep": "boolean"}, name="t")

    def sql(aggregate) -> str:
        return compiler.to_sqlglot(aggregate(table).name("q").as_table()).sql("spark")

    return sql


@pytest.mark.parametrize(
    ("aggregate", "expected"),
    [
        (lambda t: t.x.quantile(0.9), "PERCENTILE(`t0`.`x`, 0.9)"),
        (lambda t: t.x.median(), "PERCENTILE(`t0`.`x`, 0.5)"),
        (lambda t: t.x.quantile([0.1, 0.9]), "PERCENTILE(`t0`.`x`, ARRAY(0.1, 0.9))"),
        (lambda t: t.x.approx_quantile(0.9), "APPROX_PERCENTILE(`t0`.`x`, 0.9)"),
        (lambda t: t.x.approx_median(), "APPROX_PERCENTILE(`t0`.`x`, 0.5)"),
        # a filtered median filters the values only: the percentage stays a constant
        (
            lambda t: t.x.median(where=t.keep),
            "PERCENTILE(IF(`t0`.`keep`, `t0`.`x`, NULL), 0.5)",
        ),
    ],
)
def test_exact_quantiles_stay_exact_on_spark(spark_sql, aggregate, expected: str) -> None:
    assert f"SELECT {expected} AS `q`" in spark_sql(aggregate)
