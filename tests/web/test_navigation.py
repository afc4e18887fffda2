"""The navigation registry and how the layout shows it."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from cxloop.api.deps import Principal, RoleRequirement
from cxloop.domain.access import Role, User
from cxloop.web import navigation
from cxloop.web.navigation import NAVIGATION, entry, visible_entries

EXPECTED = [
    "Overview", "Scorecard", "Customers", "Feedback", "Perception gap", "Surveys", "Cases",
    "Journeys", "Drivers", "Value chain", "Segments", "Advocates", "You said, we did",
    "Settings",
]  # fmt: skip


def principal(role: Role) -> Principal:
    return Principal(role=role, user=User(user_id="u", email="u@example.com", role=role))


def test_the_registry_lists_every_page_in_order() -> None:
    assert [e.label for e in NAVIGATION] == EXPECTED
    assert len({e.key for e in NAVIGATION}) == len({e.path for e in NAVIGATION}) == len(EXPECTED)
    assert {e.key for e in NAVIGATION if e.available} == {
        "overview",
        "scorecard",
        "customers",
        "feedback",
        "gap",
        "drivers",
        "surveys",
        "cases",
        "journeys",
        "segments",
        "advocates",
        "actions",
        "settings",
        "value_chain",
    }
    assert entry("drivers").role is Role.VIEWER  # aggregates, as GET /v1/drivers
    assert entry("actions").role is Role.ANALYST


def api_routes(routes: list) -> list[APIRoute]:
    """Every API route, including those of included routers (the pages have no prefix)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found += api_routes(route.original_router.routes)
    return found


def test_available_pages_have_a_route_needing_the_entry_role(app: FastAPI) -> None:
    routes = {r.path: r for r in api_routes(app.routes) if "GET" in r.methods}
    for page in NAVIGATION:
        if not page.available:
            assert page.path not in routes, f"{page.key}: no placeholder pages"
            continue
        needed = [
            d.call.role
            for d in routes[page.path].dependant.dependencies
            if isinstance(d.call, RoleRequirement)
        ]
        assert needed == [page.role], f"{page.path} must require {page.role.value}"


def test_entries_are_shown_only_to_roles_that_may_open_them() -> None:
    assert visible_entries(None) == []
    viewer = [e.key for e in visible_entries(principal(Role.VIEWER))]
    assert viewer == [
        "overview", "scorecard", "feedback", "gap", "journeys", "drivers", "value_chain",
        "segments", "settings",
    ]  # fmt: skip
    assert len(visible_entries(principal(Role.ADMIN))) == len(NAVIGATION)


def test_current_page_matching() -> None:
    assert entry("overview").is_current("/") and not entry("overview").is_current("/settings")
    assert entry("settings").is_current("/settings")
    assert entry("settings").is_current("/settings/keys")
    assert not entry("settings").is_current("/settingsx")


@pytest.fixture
def journeys_unbuilt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page is built now; pretend Journeys is not, to check how a page to come shows."""
    registry = tuple(
        dataclasses.replace(e, available=False) if e.key == "journeys" else e for e in NAVIGATION
    )
    monkeypatch.setattr(navigation, "NAVIGATION", registry)


def test_every_page_in_the_registry_is_a_link(signed_in: Callable[..., TestClient]) -> None:
    html = signed_in("admin").get("/settings").text
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    for page in NAVIGATION:
        assert f'href="{page.path}"' in nav, page.key
    assert "is-disabled" not in nav and 'id="nav-later"' not in nav


@pytest.mark.usefixtures("journeys_unbuilt")
def test_unavailable_pages_are_disabled_items_not_links(
    signed_in: Callable[..., TestClient],
) -> None:
    html = signed_in("analyst").get("/").text
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    assert re.search(r'<a class="nav-link" href="/" aria-current="page">Overview</a>', nav)
    assert '<a class="nav-link" href="/settings">Settings</a>' in nav
    assert '<a class="nav-link" href="/customers">Customers</a>' in nav
    assert '<a class="nav-link" href="/scorecard">Scorecard</a>' in nav
    assert '<a class="nav-link" href="/drivers">Drivers</a>' in nav
    assert '<a class="nav-link" href="/value-chain">Value chain</a>' in nav
    assert '<a class="nav-link" href="/cases">Cases</a>' in nav
    item = re.search(r'<span class="nav-link is-disabled"([^>]*)>Journeys</span>', nav)
    assert item, "Journeys is not a disabled item"
    assert 'aria-disabled="true"' in item.group(1)
    assert 'title="coming in a later release"' in item.group(1)
    assert 'aria-describedby="nav-later"' in item.group(1)
    assert 'href="/journeys"' not in nav
    assert '<p id="nav-later" hidden>coming in a later release</p>' in nav


@pytest.mark.usefixtures("journeys_unbuilt")
@pytest.mark.parametrize(
    ("language", "overview", "later"),
    [
        ("es", "Resumen", "disponible en una versión posterior"),
        ("zh", "概览", "将在后续版本中推出"),
    ],
)
def test_navigation_is_translated(
    signed_in: Callable[..., TestClient], language: str, overview: str, later: str
) -> None:
    html = signed_in("admin", language=language).get("/settings").text
    assert f'<a class="nav-link" href="/">{overview}</a>' in html
    assert f'title="{later}"' in html


def test_a_viewer_does_not_see_analyst_pages(signed_in: Callable[..., TestClient]) -> None:
    html = signed_in("viewer").get("/").text
    assert ">Scorecard<" in html and ">Feedback<" in html
    assert ">Drivers<" in html  # aggregates, as /v1/drivers: viewers read them
    assert ">Customers<" not in html and ">You said, we did<" not in html
