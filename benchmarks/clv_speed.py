"""CLV fit speed: BG/NBD + Gamma-Gamma on CDNOW against ``lifetimes`` in the same run, and on
1M synthetic customers drawn from a known BG/NBD (parameter recovery reported).

1. CDNOW 1/10 sample (2,357 customers, weeks, calibration to 1997-09-30): the summary from
   the transactions, then both fits. cxloop (analytic gradients, L-BFGS-B, standard errors
   from the Hessian) against ``lifetimes`` 0.11.3 (autograd gradients, BFGS) when it imports,
   and always against the same log-likelihoods maximised by Nelder-Mead without gradients
   (scipy). Best of ``repeats``, the runs interleaved.
2. 1,000,000 customers drawn from BG/NBD with Fader, Hardie & Lee's CDNOW parameters, watched
   for 26 to 52 weeks, and their spend from Gamma-Gamma (p=6.25, q=3.74, γ=15.44): fit
   times, and each estimate against the truth in standard errors.

    python -m benchmarks.clv_speed [--quick] [--customers N]
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize

CDNOW = Path(__file__).resolve().parents[2] / "shared" / "data" / "clv"
TRUTH_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
TRUTH_GG = {"p": 6.25, "q": 3.74, "gamma": 15.44}
CUSTOMERS = 1_000_000


def _cdnow_dir() -> Path:
    for folder in Path(__file__).resolve().parents[1:]:
        if (folder / "shared" / "data" / "clv").is_dir():
            return folder / "shared" / "data" / "clv"
    return CDNOW


def _best(fns: dict[str, Callable[[], Any]], repeats: int) -> dict[str, float]:
    """Best time of each function, the runs interleaved so load hits them alike."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: min(values) for name, values in times.items()}


def _load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def cdnow_summary() -> pd.DataFrame:
    from cxloop.understand.clv.summary import rfm_summary

    raw = pd.read_csv(
        _cdnow_dir() / "CDNOW_sample.txt", sep=r"\s+", header=None, dtype={"date": str},
        names=["master_id", "customer_id", "date", "cds", "amount"],
    )  # fmt: skip
    raw["ts"] = pd.to_datetime(raw["date"], format="%Y%m%d")
    return rfm_summary(
        raw, date_col="ts", amount_col="amount", calibration_end="1997-09-30", time_unit="W"
    )


def fit_cxloop(summary: pd.DataFrame) -> dict[str, float]:
    from cxloop.understand.clv import BetaGeoModel, GammaGammaModel

    bgnbd = BetaGeoModel().fit(summary["frequency"], summary["recency"], summary["T"])
    gg = GammaGammaModel().fit(summary["frequency"], summary["monetary_value"])
    return {**bgnbd.params_, **gg.params_}


def fit_lifetimes(summary: pd.DataFrame) -> dict[str, float]:
    from lifetimes import BetaGeoFitter, GammaGammaFitter

    bgnbd = BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
    repeat = summary[summary["frequency"] > 0]
    gg = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
    params = {**bgnbd.params_.to_dict(), **gg.params_.to_dict()}
    params["gamma"] = params.pop("v")
    return params


def fit_nelder_mead(summary: pd.DataFrame) -> dict[str, float]:
    """The same log-likelihoods, maximised without gradients (the pure-scipy baseline)."""
    from cxloop.understand.clv import bgnbd_log_likelihood, gamma_gamma_log_likelihood

    x, t_x, big_t = summary["frequency"], summary["recency"], summary["T"]
    repeat = summary[summary["frequency"] > 0]
    out: dict[str, float] = {}
    for names, value in (
        (("r", "alpha", "a", "b"), lambda p: bgnbd_log_likelihood(p, x, t_x, big_t)[0]),
        (("p", "q", "gamma"), lambda p: gamma_gamma_log_likelihood(
            p, repeat["frequency"], repeat["monetary_value"])[0]),
    ):  # fmt: skip
        result = optimize.minimize(
            lambda lp, value=value: -value(np.exp(lp)), np.zeros(len(names)),
            method="Nelder-Mead", options={"xatol": 1e-6, "fatol": 1e-8, "maxiter": 20_000},
        )  # fmt: skip
        out.update(zip(names, np.exp(result.x), strict=True))
    return out


def lifetimes_available() -> str | None:
    """None when lifetimes imports, else why not."""
    try:
        import lifetimes  # noqa: F401
    except Exception as exc:  # an unmaintained package: any import failure is a "no"
        return f"{type(exc).__name__}: {exc}"
    return None


def cdnow_section(repeats: int) -> None:
    summary = cdnow_summary()
    fns: dict[str, Callable[[], Any]] = {
        "cxloop": lambda: fit_cxloop(summary),
        "nelder-mead": lambda: fit_nelder_mead(summary),
    }
    missing = lifetimes_available()
    if missing is None:
        fns["lifetimes"] = lambda: fit_lifetimes(summary)
    params = {name: fn() for name, fn in fns.items()}
    best = _best(fns, repeats)
    summary_time = _best({"summary": cdnow_summary}, repeats)["summary"]
    print("### CDNOW: BG/NBD + Gamma-Gamma, against lifetimes\n")
    print(
        f"2,357 customers, best of {repeats} (interleaved); load average {_load()}; "
        f"summary from the 6,919 transactions {summary_time * 1000:.0f} ms (pandas)\n"
    )
    base = best.get("lifetimes", best["nelder-mead"])
    names = ["r", "alpha", "a", "b", "p", "q", "gamma"]
    print(
        "| fitter | ms | speed-up vs "
        f"{'lifetimes' if missing is None else 'Nelder-Mead'} | " + " | ".join(names) + " |"
    )
    print("|---|---|---|" + "---|" * len(names))
    labels = {
        "cxloop": "cxloop (analytic gradient, L-BFGS-B, + standard errors)",
        "lifetimes": "lifetimes 0.11.3 (autograd, BFGS)",
        "nelder-mead": "same likelihoods, Nelder-Mead, no gradient",
    }
    for name in ("cxloop", "lifetimes", "nelder-mead"):
        if name not in best:
            continue
        cells = " | ".join(f"{params[name][k]:.4f}" for k in names)
        print(f"| {labels[name]} | {best[name] * 1000:.1f} | {base / best[name]:.1f}× | {cells} |")
    print("| published (Fader, Hardie & Lee 2005; Fader & Hardie 2013) | | | "
          + " | ".join(str({**TRUTH_BGNBD, **TRUTH_GG}[k]) for k in names) + " |")  # fmt: skip
    if missing is not None:
        print(f"\nlifetimes did not import ({missing}); the baseline is Nelder-Mead.")
    print()


def synthetic_section(customers: int) -> None:
    from cxloop.understand.clv import BetaGeoModel, GammaGammaModel
    from cxloop.understand.clv.simulation import simulate_bgnbd_purchases, simulate_spend

    rng = np.random.default_rng(2005)
    started = time.perf_counter()
    horizon = rng.uniform(26.0, 52.0, customers)
    purchases = simulate_bgnbd_purchases(customers, horizon, rng=rng, **TRUTH_BGNBD)
    amounts = simulate_spend(purchases["customer"].to_numpy(), rng=rng, **TRUTH_GG)
    purchases["amount"] = amounts
    grouped = purchases.groupby("customer")
    frequency = (grouped.size() - 1).to_numpy()
    recency = grouped["t"].max().to_numpy()
    first_amount = grouped["amount"].first().to_numpy()
    total = grouped["amount"].sum().to_numpy()
    monetary = np.where(frequency > 0, (total - first_amount) / np.maximum(frequency, 1), 0.0)
    simulated = time.perf_counter() - started
    began = time.perf_counter()
    bgnbd = BetaGeoModel().fit(frequency, recency, horizon)
    t_bgnbd = time.perf_counter() - began
    began = time.perf_counter()
    gg = GammaGammaModel().fit(frequency, monetary)
    t_gg = time.perf_counter() - began
    # the same customers as a warehouse summary has them: times in whole days
    days = (frequency, np.floor(recency * 7), np.floor(horizon * 7))
    began = time.perf_counter()
    BetaGeoModel().fit(*days)
    t_days = time.perf_counter() - began
    print(f"### {customers:,} synthetic customers: fit time and parameter recovery\n")
    print(f"{len(purchases):,} purchases drawn in {simulated:.1f} s, observed 26–52 weeks; "
          f"{int((frequency > 0).sum()):,} repeat buyers; load average {_load()}\n")  # fmt: skip
    print(f"BG/NBD fit {t_bgnbd:.1f} s, Gamma-Gamma fit {t_gg:.1f} s "
          "(each with standard errors); BG/NBD on the same customers with recency and T "
          f"in whole days (as from dates, {len(np.unique(np.column_stack(days), axis=0)):,} "
          f"distinct rows) {t_days:.1f} s.\n")  # fmt: skip
    print("| parameter | truth | estimate | std. error | (estimate − truth) / s.e. |")
    print("|---|---|---|---|---|")
    for model, truth in ((bgnbd, TRUTH_BGNBD), (gg, TRUTH_GG)):
        for name, value in truth.items():
            est, se = model.params_[name], model.standard_errors_[name]
            print(f"| {name} | {value} | {est:.4f} | {se:.4f} | {(est - value) / se:+.1f} |")
    print()


def main(quick: bool = False, customers: int | None = None) -> None:
    print("## CLV fit speed\n")
    if (_cdnow_dir() / "CDNOW_sample.txt").is_file():
        cdnow_section(repeats=3 if quick else 10)
    else:
        print(f"(no CDNOW data in {_cdnow_dir()}: section skipped)\n")
    synthetic_section(customers or (50_000 if quick else CUSTOMERS))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--customers", type=int)
    args = parser.parse_args()
    main(quick=args.quick, customers=args.customers)
