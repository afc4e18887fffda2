"""``score_clv``: scores for every resolved customer in the warehouse, replaced atomically, and
shown in the 360 profile, the CLI and the API."""

from __future__ import annotations

import json
from datetime import date

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from customer_data import ANA_EMAIL, build_company
from cxloop.access.keys import add_key
from cxloop.api import create_app
from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.domain.access import Role
from cxloop.errors import DataError
from cxloop.project import open_project_warehouse
from cxloop.storage import Warehouse
from cxloop.understand.clv.scoring import score_clv
from cxloop.unify.profile import customer_profile
from understand.clv.clv_orders import add_simulated_orders


@pytest.fixture
def shop(warehouse: Warehouse) -> dict[str, str]:
    ids = build_company(warehouse)
    add_simulated_orders(warehouse, 300, currency="EUR", prefix="cus_eur", seed=1)
    add_simulated_orders(warehouse, 4, currency="GBP", prefix="cus_gbp", seed=2)
    return ids


def scores(warehouse: Warehouse):
    return warehouse.to_pandas(warehouse.table("customer_clv")).set_index("customer_id")


def test_scores_every_customer_with_orders(warehouse: Warehouse, shop: dict[str, str]) -> None:
    report = score_clv(warehouse, horizon_months=6, discount_rate=0.02)
    table = scores(warehouse)
    assert report.customers == len(table) == 300 + 4 + 1  # and Ana
    assert set(table["model_id"]) == {report.model_id}
    assert [m.currency for m in report.gamma_gamma] == ["EUR"]
    assert report.currencies_without_spend_model == ["GBP"]
    eur = table[table["currency"] == "EUR"]
    assert eur["clv"].notna().all() and (eur["clv"] > 0).all()
    assert table.loc[table["currency"] == "GBP", "clv"].isna().all()
    assert table["probability_alive"].between(0, 1).all()
    # Ana's returned EUR order is not a purchase: her two purchases are in EUR and USD
    ana = table.loc[shop["ana"]]
    assert ana["frequency"] == 1 and ana["currency"] in ("EUR", "USD")
    # more repeat purchases mean more expected purchases
    repeaters = eur.sort_values("frequency")["expected_purchases"]
    assert repeaters.iloc[-20:].mean() > 2 * repeaters.iloc[:20].mean()
    assert report.total_clv["EUR"] == pytest.approx(eur["clv"].sum(), rel=1e-6)


def test_rerun_replaces_the_scores_and_keeps_the_models(
    warehouse: Warehouse, shop: dict[str, str]
) -> None:
    first = score_clv(warehouse)
    second = score_clv(warehouse, horizon_months=24, calibration_end=date(2025, 10, 1))
    table = scores(warehouse)
    assert set(table["model_id"]) == {second.model_id} != {first.model_id}
    assert len(table) == second.customers
    models = warehouse.to_pandas(warehouse.table("clv_models"))
    assert sorted(models["model_id"]) == sorted([first.model_id, second.model_id])
    assert models.set_index("model_id").loc[second.model_id, "horizon_months"] == 24


def test_a_failed_write_leaves_the_old_scores(
    warehouse: Warehouse, shop: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = score_clv(warehouse)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(warehouse, "append", broken)
    with pytest.raises(RuntimeError):
        score_clv(warehouse)
    monkeypatch.undo()
    table = scores(warehouse)
    assert set(table["model_id"]) == {first.model_id} and len(table) == first.customers
    assert warehouse.to_pandas(warehouse.table("clv_models"))["model_id"].tolist() == [
        first.model_id
    ]


def test_profile_carries_the_scores(warehouse: Warehouse, shop: dict[str, str]) -> None:
    assert customer_profile(warehouse, ANA_EMAIL).clv is None
    report = score_clv(warehouse)
    value = customer_profile(warehouse, ANA_EMAIL).clv
    assert value is not None and value.model_id == report.model_id
    assert value.horizon_months == 12 and value.discount_rate == 0.01
    assert value.calibration_end == report.calibration_end
    assert 0 < value.probability_alive <= 1 and value.expected_purchases > 0
    # José has no orders: no scores
    assert customer_profile(warehouse, shop["jose"]).clv is None


def test_no_orders_is_a_data_error(warehouse: Warehouse) -> None:
    with pytest.raises(DataError, match="no orders of resolved customers"):
        score_clv(warehouse)


def test_cli_score_json_and_api_profile(project: Settings) -> None:
    with open_project_warehouse(project) as wh:
        ids = build_company(wh)
        add_simulated_orders(wh, 200, currency="EUR", prefix="cus_eur", seed=3)
    runner = CliRunner()
    args = ["--project", str(project.project), "clv", "score", "--horizon-months", "6"]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["customers"] == 201 and doc["horizon_months"] == 6
    assert {"r", "alpha", "a", "b", "log_likelihood"} <= set(doc["bgnbd"])
    assert doc["gamma_gamma"][0]["currency"] == "EUR" and doc["fit_seconds"] > 0
    table = runner.invoke(app, args)
    assert table.exit_code == 0 and "spend models" in table.stdout
    shown = runner.invoke(app, ["--project", str(project.project), "profile", ANA_EMAIL])
    assert shown.exit_code == 0 and "CLV, 6 months" in shown.stdout and "P(alive)" in shown.stdout
    bad = runner.invoke(app, [*args[:-2], "--discount-rate", "2"])
    assert bad.exit_code == 2 and "--discount-rate" in bad.output
    with open_project_warehouse(project) as wh:
        key = add_key(wh, "api", role=Role.AGENT)[1]
        viewer = add_key(wh, "api", role=Role.VIEWER)[1]
    with TestClient(create_app(project)) as client:
        got = client.get(f"/v1/customers/{ids['ana']}", headers={"Authorization": f"Bearer {key}"})
        assert got.status_code == 200
        clv = got.json()["clv"]
        assert clv["horizon_months"] == 6 and 0 < clv["probability_alive"] <= 1
        denied = client.get(
            f"/v1/customers/{ids['ana']}", headers={"Authorization": f"Bearer {viewer}"}
        )
        assert denied.status_code == 403


def test_time_unit_weeks_scales_recency(warehouse: Warehouse, shop: dict[str, str]) -> None:
    score_clv(warehouse, time_unit="D")
    days = scores(warehouse)
    score_clv(warehouse, time_unit="W")
    weeks = scores(warehouse)
    assert (days["T"] / 7).to_numpy() == pytest.approx(weeks["T"].to_numpy())
    assert weeks["expected_purchases"].to_numpy() == pytest.approx(
        days["expected_purchases"].to_numpy(), rel=1e-3
    )
