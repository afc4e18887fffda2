"""driver_report over a warehouse: the planted drivers come first, errors name what is wrong,
and a cached report is reused until the data change."""

from __future__ import annotations

import pytest

from cxloop.errors import DataError, UsageError
from cxloop.storage import Warehouse
from cxloop.understand.drivers import MAX_SHAPLEY_DRIVERS, TooManyDriversError, driver_report
from cxloop.understand.drivers.report import pick_drivers
from cxloop.understand.drivers.table import DriverInfo
from driver_tables import seed_driver_company


@pytest.fixture
def company(warehouse: Warehouse) -> Warehouse:
    seed_driver_company(warehouse)
    return warehouse


def test_the_planted_drivers_come_first(company: Warehouse) -> None:
    report = driver_report(company, "nps", bootstrap=60, seed=1)
    names = [d.name for d in report.drivers]
    assert set(names[:2]) == {"touchpoint:delivery", "theme:billing"}
    assert report.n == 120 and report.model == "linear" and report.bootstrap == 60
    assert sum(d.shapley for d in report.drivers) == pytest.approx(report.r2)
    assert sum(d.relative_weight for d in report.drivers) == pytest.approx(report.r2)
    by_name = {d.name: d for d in report.drivers}
    billing, store = by_name["theme:billing"], by_name["touchpoint:store"]
    assert billing.correlation < 0 and by_name["touchpoint:delivery"].correlation > 0
    assert billing.shapley_ci_low is not None and billing.shapley_ci_low > store.shapley
    assert billing.performance == 0.0  # every billing mention is negative
    assert by_name["touchpoint:delivery"].n == 100  # five in six rated a delivery
    assert report.r2_ci_low is not None and report.r2_ci_low < report.r2 < report.r2_ci_high
    assert [d.rank for d in report.drivers] == list(range(1, len(report.drivers) + 1))


def test_performance_is_the_share_satisfied(company: Warehouse) -> None:
    report = driver_report(company, "nps", drivers=["touchpoint:store", "rating:brand.value"])
    for driver in report.drivers:
        assert driver.performance is not None and 0 < driver.performance < 1
        assert driver.mean is not None and 1 <= driver.mean <= 5
    assert report.mean_performance == pytest.approx(
        sum(d.performance or 0 for d in report.drivers) / 2
    )
    assert report.drivers[0].shapley_ci_low is None  # no bootstrap, no interval


def test_churn_is_a_linear_probability_model(company: Warehouse) -> None:
    report = driver_report(company, "churn", churn_days=200)
    assert report.model == "linear probability" and report.churn_days == 200
    assert 0 <= report.r2 < 1


def test_unknown_names_list_the_valid_ones(company: Warehouse) -> None:
    with pytest.raises(UsageError, match=r"unknown driver 'theme:nope'; valid: rating:brand"):
        driver_report(company, "nps", drivers=["theme:nope"])
    with pytest.raises(UsageError, match=r"unknown outcome 'loyalty'; valid: nps, csat, ces"):
        driver_report(company, "loyalty")


def test_too_many_drivers_is_refused() -> None:
    known = {f"theme:t{i}": DriverInfo(f"theme:t{i}", "theme", f"t{i}") for i in range(20)}
    with pytest.raises(TooManyDriversError, match=f"at most {MAX_SHAPLEY_DRIVERS}"):
        pick_drivers(known, list(known)[: MAX_SHAPLEY_DRIVERS + 1])
    assert len(pick_drivers(known, list(known)[:MAX_SHAPLEY_DRIVERS])) == MAX_SHAPLEY_DRIVERS


def test_a_named_driver_with_too_little_data_is_an_error(company: Warehouse) -> None:
    with pytest.raises(DataError, match=r"'theme:price' is observed for \d+ of 120"):
        driver_report(company, "nps", drivers=["theme:price"], min_n=200)


def test_without_names_sparse_drivers_are_left_out(company: Warehouse) -> None:
    report = driver_report(company, "nps", min_n=95)
    left = {d.name: d.reason for d in report.left_out}
    assert left == {
        "theme:billing": "few_observations", "theme:price": "few_observations",
        "rating:brand.value": "few_observations",  # 90 answered
    }  # fmt: skip
    assert {d.name for d in report.drivers} == {"touchpoint:delivery", "touchpoint:store"}


def test_a_cached_report_is_reused_until_the_data_change(company: Warehouse) -> None:
    cache: dict = {}
    first = driver_report(company, "nps", cache=cache)
    assert driver_report(company, "nps", cache=cache) is first
    assert driver_report(company, "csat", cache=cache) is not first
    company.append_rows("feedback", [{"feedback_id": "new", "customer_id": "c000", "nps": 0}])
    assert driver_report(company, "nps", cache=cache) is not first
