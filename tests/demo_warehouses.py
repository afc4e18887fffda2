"""Demo companies built once per test worker and shared by every test that reads them.

A demo build (``run_demo``) takes from seconds to a minute; many planted-truth tests only read
the warehouse it leaves. Each :class:`DemoBuild` names one build (size, seed, stages) and the
``xdist_group`` every test that uses it must carry, so ``pytest -n 2 --dist loadgroup`` sends
those tests to one worker and the build happens once. The session fixture ``demo_warehouses``
(tests/conftest.py) builds on first use and hands out a :class:`SharedDemo`:

- ``shared.settings`` and ``shared.result``: for reading. Open the warehouse with
  ``open_project_warehouse(shared.settings, read_only=True)``; the DuckDB file's digest is
  taken after the build and checked when the session ends, so a test that changed what the
  next test sees fails there.
- ``shared.copy(destination)``: a private copy of the project (the DuckDB file included) for a
  test that writes, e.g. one that re-runs the demo or adds a user.

Usage::

    pytestmark = [pytest.mark.slow, PLANTED.mark]

    @pytest.fixture(scope="module")
    def demo(demo_warehouses: DemoWarehouses) -> SharedDemo:
        return demo_warehouses.get(PLANTED)
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from cxloop.config import DEFAULT_WAREHOUSE_FILE, Settings
from cxloop.demo.loading import DEMO_DATA_DIR, DemoResult, run_demo


@dataclass(frozen=True)
class DemoBuild:
    """One demo company: the ``run_demo`` arguments, and the xdist group of its users."""

    name: str
    customers: int
    seed: int
    analyse_text: bool = True
    refresh_segments: bool = True

    @property
    def group(self) -> str:
        """The ``xdist_group`` name every test using this build carries."""
        return f"demo-{self.name}"

    @property
    def mark(self) -> pytest.MarkDecorator:
        """``pytest.mark.xdist_group(<group>)``: put it in the test module's ``pytestmark``."""
        return pytest.mark.xdist_group(self.group)


# The planted truths of KPIs, drivers, segments and advocates: the full pipeline (text, CLV,
# churn, segments, cases) on 2,000 customers, seed 5.
PLANTED = DemoBuild("planted-2k-seed5", customers=2_000, seed=5)
# The value chain (PLS needs many customers per team-quarter) and the journeys' moments of
# truth: no text analysis, no segments.
CHAIN = DemoBuild("chain-8k-seed5", customers=8_000, seed=5, analyse_text=False,
                  refresh_segments=False)  # fmt: skip
# Churn risk.
CHURN = DemoBuild("churn-3k-seed0", customers=3_000, seed=0)
# CLV against the demo's future. Not CHURN: on 3,000 customers with text the planted churners'
# P(alive) gap measured 0.029 against the test's 0.03.
CLV = DemoBuild("clv-1500-seed0", customers=1_500, seed=0, analyse_text=False)
# Browser tests over a small company (advocates, segments, cases pages).
BROWSER = DemoBuild("browser-600-seed3", customers=600, seed=3, analyse_text=False)
# Every build by its xdist group.
BUILDS = {build.group: build for build in (PLANTED, CHAIN, CHURN, CLV, BROWSER)}


@dataclass(frozen=True)
class SharedDemo:
    """A demo company built once: read it in place, or take a private :meth:`copy`."""

    build: DemoBuild
    settings: Settings
    result: DemoResult
    digest: str

    @property
    def project(self) -> Path:
        """The project directory (its ``demo_data/ground_truth`` holds the planted truth)."""
        return self.settings.project

    @property
    def ground_truth(self) -> Path:
        """The ground-truth folder the generator wrote."""
        return Path(self.result.ground_truth)

    def copy(self, destination: Path, **overrides: Any) -> Settings:
        """Copy the project (warehouse and configuration, not the generated files) to
        ``destination`` and return writable settings for it (``overrides`` as for
        ``Settings.load``); a re-run of the demo there regenerates ``demo_data``."""
        shutil.copytree(self.project, destination, ignore=shutil.ignore_patterns(DEMO_DATA_DIR))
        return Settings.load(project=destination, **overrides)


@dataclass
class DemoWarehouses:
    """The demo companies of one test session (one per xdist worker), built on first use."""

    root: Path
    built: dict[DemoBuild, SharedDemo] = field(default_factory=dict)
    reruns: dict[DemoBuild, tuple[Settings, DemoResult]] = field(default_factory=dict)

    def get(self, build: DemoBuild, request: pytest.FixtureRequest | None = None) -> SharedDemo:
        """The shared demo for ``build``, built now if this worker has not built it yet.

        With ``request``, check that the requesting test carries ``build.mark``: without it
        xdist may send its tests to both workers and each would build the company.
        """
        if request is not None:
            marks = {m.args[0] for m in request.node.iter_markers("xdist_group") if m.args}
            if build.group not in marks:
                raise pytest.UsageError(
                    f"{request.node.nodeid}: uses the shared demo {build.name!r}; "
                    f"add {build.group!r} to its xdist_group mark ({build.name}.mark)"
                )
        if build not in self.built:
            self.built[build] = self._build(build)
        return self.built[build]

    def rerun(self, build: DemoBuild) -> tuple[Settings, DemoResult]:
        """The demo run a second time (same size and seed, ``analyse_text=False``) over a
        copy of the shared build, as a user re-running ``cxloop demo`` would: the copy's
        settings and the second run's result. Run once per worker, for every test that checks
        what a re-run adds (nothing)."""
        if build not in self.reruns:
            shared = self.get(build)
            settings = shared.copy(self.root / f"{build.name}-rerun")
            again = run_demo(
                settings,
                customers=build.customers,
                seed=build.seed,
                analyse_text=False,
                refresh_segments=build.refresh_segments,
            )
            self.reruns[build] = settings, again
        return self.reruns[build]

    def _build(self, build: DemoBuild) -> SharedDemo:
        settings = Settings.load(project=self.root / build.name)
        result = run_demo(
            settings,
            customers=build.customers,
            seed=build.seed,
            analyse_text=build.analyse_text,
            refresh_segments=build.refresh_segments,
        )
        digest = _digest(settings.project / DEFAULT_WAREHOUSE_FILE)
        return SharedDemo(build=build, settings=settings, result=result, digest=digest)

    def changed(self) -> list[str]:
        """The builds whose DuckDB file a test changed (it should have taken a copy)."""
        return [
            shared.build.name
            for shared in self.built.values()
            if _digest(shared.project / DEFAULT_WAREHOUSE_FILE) != shared.digest
        ]


def _digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
