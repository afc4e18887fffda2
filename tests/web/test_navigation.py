"""The navigation registry and how the layout shows it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from cxloop.api.deps import Principal, RoleRequirement
from cxloop.domain.access import Role, User
from cxloop.web.navigation import NAVIGATION, entry, visible_entries

EXPECTED = [
    "Overview", "Scorecard", "Customers", "Feedback", "Perception gap", "Surveys", "Cases",
    "Journeys", "Drivers", "Value chain", "Segments", "Settings",
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
        "surveys",
        "journeys",
        "segments",
        "settings",
    }
    assert entry("drivers").role is Role.ANALYST


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
        "overview", "scorecard", "feedback", "gap", "journeys", "segments", "settings",
    ]  # fmt: skip
    assert len(visible_entries(principal(Role.ADMIN))) == len(NAVIGATION)


def test_current_page_matching() -> None:
    assert entry("overview").is_current("/") and not entry("overview").is_current("/settings")
    assert entry("settings").is_current("/settings")
    assert entry("settings").is_current("/settings/keys")
    assert not entry("settings").is_current("/settingsx")


def test_unavailable_pages_are_disabled_items_not_links(
    signed_in: Callable[..., TestClient],
) -> None:
    html = signed_in("analyst").get("/").text
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    assert re.search(r'<a class="nav-link" href="/" aria-current="page">Overview</a>', nav)
    assert '<a class="nav-link" href="/settings">Settings</a>' in nav
    assert '<a class="nav-link" href="/customers">Customers</a>' in nav
    assert '<a class="nav-link" href="/scorecard">Scorecard</a>' in nav
    for label in ("Cases", "Drivers", "Value chain"):
        item = re.search(rf'<span class="nav-link is-disabled"([^>]*)>{label}</span>', nav)
        assert item, f"{label} is not a disabled item"
        assert 'aria-disabled="true"' in item.group(1)
        assert 'title="coming in a later release"' in item.group(1)
        assert 'aria-describedby="nav-later"' in item.group(1)
    assert 'href="/drivers"' not in nav and 'href="/cases"' not in nav
    assert '<p id="nav-later" hidden>coming in a later release</p>' in nav


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
    assert ">Drivers<" not in html and ">Customers<" not in html
