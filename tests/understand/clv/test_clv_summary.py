"""RFM summaries: the conventions, CDNOW's published summary, and pandas = Ibis."""

from __future__ import annotations

from datetime import date

import ibis
import numpy as np
import pandas as pd
import pytest

from cxloop.understand.clv.summary import rfm_summary
from cxloop.understand.clv.summary_expr import rfm_summary_expr
from understand.clv.cdnow_data import SAMPLE, SUMMARY_WITH_SPEND, needs_cdnow

SMALL = pd.DataFrame(
    {
        "customer_id": ["a", "a", "a", "a", "b", "c", "c"],
        "ts": pd.to_datetime(
            ["2024-01-01 09:00", "2024-01-01 18:00", "2024-01-08 00:00", "2024-01-22 00:00",
             "2024-01-05 00:00", "2024-01-10 00:00", "2024-02-01 00:00"], utc=True,
        ),
        "amount": [5.0, 5.0, 30.0, 10.0, 12.0, 7.0, 99.0],
        "status": ["completed"] * 6 + ["returned"],
    }
)  # fmt: skip


def test_conventions_same_day_repeat_days_and_calibration_end() -> None:
    summary = rfm_summary(
        SMALL, date_col="ts", amount_col="amount", calibration_end="2024-01-15", time_unit="D"
    )
    a, b, c = (summary.loc[k] for k in "abc")
    # a: 01-01 twice (one purchase of 10), 01-08 (repeat); 01-22 is after calibration
    assert (a.frequency, a.recency, a["T"], a.monetary_value) == (1, 7.0, 14.0, 30.0)
    assert (b.frequency, b.recency, b["T"], b.monetary_value) == (0, 0.0, 10.0, 0.0)
    assert (c.frequency, c["T"]) == (0, 5.0)
    weeks = rfm_summary(SMALL, date_col="ts", calibration_end="2024-01-15", time_unit="W")
    assert weeks.loc["a", "T"] == pytest.approx(2.0) and "monetary_value" not in weeks


def test_customers_who_first_buy_after_calibration_are_left_out() -> None:
    summary = rfm_summary(SMALL, date_col="ts", calibration_end="2024-01-04")
    assert summary.index.tolist() == ["a"]


def test_ibis_expression_leaves_out_returned_orders_and_matches_pandas() -> None:
    con = ibis.duckdb.connect()
    table = con.create_table("orders", SMALL)
    out = con.to_pandas(rfm_summary_expr(table, date(2024, 2, 10), time_unit="W"))
    kept = SMALL[SMALL["status"] != "returned"]
    expected = rfm_summary(
        kept, date_col="ts", amount_col="amount", calibration_end="2024-02-10", time_unit="W"
    )
    assert out["customer_id"].tolist() == expected.index.tolist()
    np.testing.assert_allclose(out[expected.columns].to_numpy(float), expected.to_numpy(float))


@needs_cdnow
def test_cdnow_sample_gives_the_published_summary() -> None:
    raw = pd.read_csv(
        SAMPLE, sep=r"\s+", header=None, dtype={"date": str},
        names=["master_id", "customer_id", "date", "cds", "amount"],
    )  # fmt: skip
    raw["ts"] = pd.to_datetime(raw["date"], format="%Y%m%d", utc=True)
    reference = pd.read_csv(SUMMARY_WITH_SPEND).set_index("ID")
    summary = rfm_summary(
        raw, date_col="ts", amount_col="amount", calibration_end="1997-09-30", time_unit="W"
    )
    assert (summary["frequency"].to_numpy() == reference["x"].to_numpy()).all()
    for mine, theirs in (("recency", "t_x"), ("T", "T"), ("monetary_value", "zbar")):
        np.testing.assert_allclose(summary[mine], reference[theirs], atol=0.0051)
    con = ibis.duckdb.connect()
    table = con.create_table("orders", raw[["customer_id", "ts", "amount"]])
    expr = con.to_pandas(rfm_summary_expr(table, date(1997, 9, 30), time_unit="W"))
    np.testing.assert_allclose(expr[summary.columns].to_numpy(float), summary.to_numpy(float))
