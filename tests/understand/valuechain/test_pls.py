"""PLS path modelling against published software output: SmartPLS on ECSI (three schemes),
R plspm on the satisfaction data, and Mode B against canonical correlation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxloop.errors import DataError, UsageError
from cxloop.understand.valuechain import PathModelSpec, PLSPathModel
from valuechain_models import ecsi_spec, mobi, plspm_data

# SmartPLS names the path weighting scheme "pathWeighting" in its own files
SCHEMES = {"centroid": "centroid", "factorial": "factorial", "path": "path"}


def _reference(name: str, scheme: str) -> pd.DataFrame:
    frame = pd.read_csv(plspm_data(f"reference/{name}"))
    rows = frame[frame["scheme"].str.lower().str.startswith(scheme[:4])]
    assert len(rows), f"no {scheme} rows in {name}"
    return rows


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_ecsi_matches_smartpls(scheme: str) -> None:
    model = PLSPathModel(ecsi_spec(), scheme=scheme).fit(mobi())  # type: ignore[arg-type]
    effects = _reference("smartpls_ecsi_paths_total_effects.csv", scheme)
    paths = effects[effects["quantity"] == "path_coefficient"]
    assert len(paths) == 12
    for row in effects.itertuples():
        ours = model.path_coefficients_ if row.quantity == "path_coefficient" else None
        ours = model.total_effects_ if ours is None else ours
        assert ours.loc[row.from_lv, row.to_lv] == pytest.approx(row.value, abs=5e-4), row
    # every direct path the reference has, and no other
    estimated = {(s, t) for s in model.path_coefficients_.index
                 for t in model.path_coefficients_.columns
                 if model.path_coefficients_.loc[s, t] != 0}  # fmt: skip
    assert estimated == set(zip(paths["from_lv"], paths["to_lv"], strict=True))
    for row in _reference("smartpls_ecsi_outer_weights.csv", scheme).itertuples():
        assert model.weights_.loc[(row.latent, row.manifest)] == pytest.approx(row.weight, abs=5e-4)
    for row in _reference("smartpls_ecsi_cross_loadings.csv", scheme).itertuples():
        ours = model.cross_loadings_.loc[row.manifest, row.latent]
        assert ours == pytest.approx(row.cross_loading, abs=5e-4)


def test_ecsi_r2_and_gof_are_plausible() -> None:
    model = PLSPathModel(ecsi_spec(), scheme="centroid").fit(mobi())
    assert model.r2_["Satisfaction"] == pytest.approx(0.6803, abs=1e-3)
    assert model.r2_["Expectation"] == pytest.approx(0.2547, abs=1e-3)
    assert "Image" not in model.r2_.index  # exogenous
    expected = np.sqrt(
        (model.loadings_.drop("Complaints", level="construct") ** 2).mean() * model.r2_.mean()
    )
    assert model.gof_ == pytest.approx(expected)
    assert model.communality_["Complaints"] == pytest.approx(1.0)


def test_r_plspm_satisfaction_unscaled() -> None:
    data = pd.read_csv(plspm_data("satisfaction.csv"), index_col=0)
    blocks = {
        "IMAG": [f"imag{i}" for i in range(1, 6)], "EXPE": [f"expe{i}" for i in range(1, 6)],
        "QUAL": [f"qual{i}" for i in range(1, 6)], "VAL": [f"val{i}" for i in range(1, 5)],
        "SAT": [f"sat{i}" for i in range(1, 5)], "LOY": [f"loy{i}" for i in range(1, 5)],
    }  # fmt: skip
    paths = [("IMAG", "EXPE"), ("IMAG", "SAT"), ("IMAG", "LOY"), ("EXPE", "QUAL"),
             ("EXPE", "VAL"), ("EXPE", "SAT"), ("QUAL", "VAL"), ("QUAL", "SAT"), ("VAL", "SAT"),
             ("SAT", "LOY")]  # fmt: skip
    model = PLSPathModel(PathModelSpec(blocks, paths), scheme="centroid", scaled=False).fit(data)
    effects = pd.read_csv(plspm_data("reference/rplspm_satisfaction.effects.csv"))
    for row in effects.itertuples():
        assert model.path_coefficients_.loc[row._2, row.to] == pytest.approx(row.direct, abs=5e-4)
        assert model.total_effects_.loc[row._2, row.to] == pytest.approx(row.total, abs=5e-4)
    outer = pd.read_csv(plspm_data("reference/rplspm_satisfaction.outer-model.csv"))
    for row in outer.itertuples():
        assert model.loadings_.loc[(row.block, row.name)] == pytest.approx(row.loading, abs=5e-4)
    inner = pd.read_csv(plspm_data("reference/rplspm_satisfaction.inner-summary.csv"), index_col=0)
    for name, row in inner.iterrows():
        if row["type"] == "Endogenous":
            assert model.r2_[name] == pytest.approx(row["r_squared"], abs=5e-4)
        assert model.communality_[name] == pytest.approx(row["block_communality"], abs=5e-4)
        assert model.redundancy_[name] == pytest.approx(row["mean_redundancy"], abs=5e-4)
    assert model.gof_ == pytest.approx(0.609741624338411, abs=5e-4)


def _canonical_correlation(x: np.ndarray, y: np.ndarray) -> float:
    def whiten(a: np.ndarray) -> np.ndarray:
        a = a - a.mean(axis=0)
        q, _ = np.linalg.qr(a)
        return q

    return float(np.linalg.svd(whiten(x).T @ whiten(y), compute_uv=False)[0])


@pytest.mark.parametrize("scheme", ["centroid", "factorial", "path"])
def test_mode_b_on_two_blocks_is_canonical_correlation(scheme: str) -> None:
    """Wold: with both blocks in Mode B, PLS converges to the first canonical correlation."""
    rng = np.random.default_rng(7)
    latent = rng.normal(size=300)
    x = np.column_stack([latent + rng.normal(size=300), rng.normal(size=300),
                         0.5 * latent + rng.normal(size=300)])  # fmt: skip
    y = np.column_stack([0.8 * latent + rng.normal(size=300), rng.normal(size=300)])
    frame = pd.DataFrame(np.column_stack([x, y]), columns=["x1", "x2", "x3", "y1", "y2"])
    spec = PathModelSpec({"X": ["x1", "x2", "x3"], "Y": ["y1", "y2"]}, [("X", "Y")],
                         modes={"X": "B", "Y": "B"})  # fmt: skip
    model = PLSPathModel(spec, scheme=scheme, max_iter=1000).fit(frame)  # type: ignore[arg-type]
    expected = _canonical_correlation(x, y)
    assert model.path_coefficients_.loc["X", "Y"] == pytest.approx(expected, abs=1e-5)
    # Mode A on the same data gives a smaller correlation than the optimum
    reflective = PathModelSpec(spec.blocks, spec.paths)
    assert PLSPathModel(reflective).fit(frame).path_coefficients_.loc["X", "Y"] < expected


def test_mode_b_weights_are_regression_weights() -> None:
    """A formative block's weights are the regression of its inner proxy on its indicators."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(200, 2))
    target = x @ np.array([0.7, -0.3]) + 0.5 * rng.normal(size=200)
    frame = pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1], "y": target})
    spec = PathModelSpec({"X": ["x1", "x2"], "Y": ["y"]}, [("X", "Y")], modes={"X": "B"})
    model = PLSPathModel(spec).fit(frame)
    standard = (frame - frame.mean()) / frame.std()
    beta = np.linalg.lstsq(standard[["x1", "x2"]].to_numpy(), standard["y"].to_numpy(),
                           rcond=None)[0]  # fmt: skip
    weights = model.weights_.loc["X"].to_numpy()
    assert weights / np.linalg.norm(weights) == pytest.approx(beta / np.linalg.norm(beta))
    # and its R² is the multiple regression's
    residual = standard["y"] - standard[["x1", "x2"]].to_numpy() @ beta
    assert model.r2_["Y"] == pytest.approx(1 - residual.var() / standard["y"].var())


def test_signs_are_fixed_by_the_loadings() -> None:
    rng = np.random.default_rng(1)
    a = rng.normal(size=100)
    frame = pd.DataFrame({"a1": -a + rng.normal(size=100), "a2": -a + rng.normal(size=100),
                          "b1": a + rng.normal(size=100)})  # fmt: skip
    spec = PathModelSpec({"A": ["a1", "a2"], "B": ["b1"]}, [("A", "B")])
    model = PLSPathModel(spec).fit(frame)
    assert (model.loadings_.loc["A"] > 0).all()
    assert model.path_coefficients_.loc["A", "B"] < 0


def test_bad_input_is_named() -> None:
    spec = PathModelSpec({"A": ["a"], "B": ["b"]}, [("A", "B")])
    with pytest.raises(DataError, match="'b' is constant"):
        PLSPathModel(spec).fit(pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [1.0] * 4}))
    with pytest.raises(DataError, match="'b' has missing values"):
        PLSPathModel(spec).fit(pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [1.0, None, 2, 3]}))
    with pytest.raises(DataError, match="no column 'b'"):
        PLSPathModel(spec).fit(pd.DataFrame({"a": [1.0, 2, 3, 4]}))
    with pytest.raises(UsageError, match="scheme"):
        PLSPathModel(spec, scheme="mean").fit(pd.DataFrame({"a": [1.0, 2, 3], "b": [3.0, 1, 2]}))  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="cycle"):
        PathModelSpec({"A": ["a"], "B": ["b"]}, [("A", "B"), ("B", "A")])
