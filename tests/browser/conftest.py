"""What every browser test shares: one Debian Chromium per test module, and the live app over
a seeded project (``seeded_server``) or over any project's settings (``serve_project``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from browser.live_server import User, serve_project
from browser.test_dashboard import CHROMIUM, CHROMIUM_ARGS
from cxloop.config import Settings
from cxloop.project import init_project
from cxloop.storage import Warehouse


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def seeded_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[..., AbstractContextManager[str]]:
    """``seeded_server(name, seed, user, company_name=…, configure=…)``: a fresh starter
    project (``configure(project_dir)`` may edit its files), ``seed(warehouse)`` to fill it,
    ``user`` to sign in with, served until the ``with`` block ends."""

    def start(
        name: str,
        seed: Callable[[Warehouse], object],
        user: User,
        *,
        company_name: str = "Acme Travel",
        configure: Callable[[Path], object] | None = None,
    ) -> AbstractContextManager[str]:
        directory = tmp_path_factory.mktemp(name) / "acme"
        init_project(directory)
        if configure is not None:
            configure(directory)
        settings = Settings.load(project=directory, company_name=company_name)
        return serve_project(settings, user, seed)

    return start
