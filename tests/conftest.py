"""Shared fixtures: an empty warehouse, a fresh project, small file writers, and the demo
companies built once per worker (tests/demo_warehouses.py); how xdist groups the tests."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from cxloop.config import Settings
from cxloop.project import init_project
from cxloop.storage import Warehouse, open_warehouse
from demo_warehouses import BUILDS, DemoWarehouses
from postgres_server import PostgresServer, PostgresUnavailable, session_server, stop_session_server

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[Warehouse]:
    """A migrated DuckDB warehouse in a temporary file."""
    with open_warehouse(f"duckdb:///{tmp_path / 'wh.duckdb'}") as wh:
        yield wh


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    """A fresh starter project, as ``cxloop init`` writes it."""
    directory = tmp_path / "acme"
    init_project(directory)
    return Settings.load(project=directory)


@pytest.fixture(scope="session")
def demo_warehouses(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoWarehouses]:
    """The demo companies of this worker, each built on first use (see demo_warehouses.py)."""
    shared = DemoWarehouses(tmp_path_factory.mktemp("shared-demos"))
    yield shared
    changed = shared.changed()
    assert not changed, f"a test wrote to the shared demo {changed}: it should take a copy"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server of this worker (tests/postgres_server.py); a test that
    needs it fails, naming the reason, when it cannot start."""
    try:
        server = session_server()
    except PostgresUnavailable as exc:
        pytest.fail(f"PostgreSQL test server: {exc}", pytrace=False)
    yield server


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Stop the throwaway PostgreSQL server, if a test started one."""
    stop_session_server()


def _loadgroup(config: pytest.Config) -> bool:
    """Whether tests are distributed with ``--dist loadgroup`` (an xdist worker sees
    ``loadgroup``, its own ``dist`` being "no"; the controller and a plain run see ``dist``)."""
    return (
        bool(config.getoption("loadgroup", False)) or config.getoption("dist", "no") == "loadgroup"
    )


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> Generator[None, None, None]:
    """Under ``--dist loadgroup``: a test without an ``xdist_group`` joins its module's group,
    so a module's fixtures are built on one worker only (as ``--dist loadscope`` would), done
    before xdist's own hook names the groups; and the groups most likely to be slow are
    collected first (the shared demos, largest first, then groups with a ``slow`` or
    ``browser`` test), so the workers start on them and the run does not end on one.
    ``--no-loadscope-reorder`` (pyproject.toml) keeps this order."""
    if not _loadgroup(config):
        return (yield)
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
    outcome = yield

    def group(item: pytest.Item) -> str:
        return str(next(item.iter_markers("xdist_group")).args[0])

    cost: dict[str, int] = {}
    for item in items:
        name = group(item)
        weight = 0
        if name in BUILDS:
            weight = 2 + BUILDS[name].customers
        elif item.get_closest_marker("slow") or item.get_closest_marker("browser"):
            weight = 1
        cost[name] = max(cost.get(name, 0), weight)
    items.sort(key=lambda item: -cost[group(item)])  # stable: collection order otherwise
    if getattr(config, "workerinput", None) is not None:
        _name_groups(items)
    return outcome


def _name_groups(items: list[pytest.Item]) -> None:
    """Append ``@<group>`` to each test id, as pytest-xdist's worker means to: xdist 3.8 sets
    ``item._nodeid``, which pytest 9 no longer reads (ids live in ``item._id``), so without
    this every ``xdist_group`` is silently ignored and ``loadgroup`` acts as ``load``."""
    from _pytest.nodeid import NodeId

    for item in items:
        if "@" not in item.nodeid.rpartition("]")[2]:
            name = str(next(item.iter_markers("xdist_group")).args[0])
            item._id = NodeId.parse(f"{item.nodeid}@{name}")  # type: ignore[attr-defined]
