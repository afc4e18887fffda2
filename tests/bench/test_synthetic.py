"""The benchmark's synthetic company: sizes as asked, and the realism resolve, text and CLV need."""

from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from cxloop.bench.synthetic import Scale, write_company


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return write_company(tmp_path_factory.mktemp("bench") / "data", Scale(400))


def test_sizes_follow_the_scale(company) -> None:  # type: ignore[no-untyped-def]
    assert company.rows["customers_crm"] == 400
    assert company.rows["events"] == 400 * 50
    assert company.rows["feedback"] == 400 * 5
    for name, rows in company.rows.items():
        assert pq.read_metadata(company.path(name)).num_rows == rows


def test_shop_records_duplicate_crm_people_written_differently(company) -> None:  # type: ignore[no-untyped-def]
    shop = pq.read_table(company.path("customers_shop")).to_pandas()
    crm = pq.read_table(company.path("customers_crm")).to_pandas().set_index("email")
    assert 0.45 < len(shop) / 400 < 0.75
    same_person = crm.loc[shop["email"].str.lower()]
    assert (shop["email"] != same_person.index).any()  # upper-cased e-mails
    assert (shop["phone"].to_numpy() != same_person["phone"].to_numpy()).all()  # other format
    truth = pq.read_table(company.path("truth")).to_pandas()
    assert truth["person"].value_counts().max() == 2
    assert len(truth) == 400 + len(shop)


def test_repeat_customers_and_skewed_activity(company) -> None:  # type: ignore[no-untyped-def]
    orders = pq.read_table(company.path("orders")).to_pandas()
    per_customer = orders["customer_id"].value_counts()
    assert per_customer.index.nunique() == 400
    assert (per_customer > 1).mean() > 0.2
    feedback = pq.read_table(company.path("feedback")).to_pandas()
    counts = feedback["customer_id"].value_counts()
    assert counts.max() > 4 * counts.median()


def test_comments_in_three_languages_follow_the_score(company) -> None:  # type: ignore[no-untyped-def]
    feedback = pq.read_table(company.path("feedback"))
    texts = feedback.filter(pc.is_valid(feedback.column("text"))).to_pandas()
    assert set(texts["language"]) == {"en", "es", "zh"}
    assert 0.3 < len(texts) / feedback.num_rows < 0.5
    assert texts["text"].nunique() > 100
    chinese = texts[texts["language"] == "zh"]["text"]
    assert chinese.str.contains(r"[\u4e00-\u9fff]").all()


def test_the_same_seed_writes_the_same_company(tmp_path: Path, company) -> None:  # type: ignore[no-untyped-def]
    again = write_company(tmp_path / "again", Scale(400))
    for name in ("customers_crm", "feedback", "orders"):
        assert pq.read_table(again.path(name)).equals(pq.read_table(company.path(name)))
