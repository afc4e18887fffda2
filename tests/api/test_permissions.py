"""Every route declares who may call it, and every non-public route refuses the others."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from cxloop.api.deps import RoleRequirement, public
from cxloop.domain.access import Role

# Routes FastAPI itself adds: the API's own documentation is public.
FRAMEWORK_PUBLIC = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


@dataclass
class Endpoint:
    path: str
    methods: set[str]
    route: APIRoute
    router_dependencies: list[object]


def _is_marker(call: object) -> bool:
    return call is public or isinstance(call, RoleRequirement)


def declared_access(endpoint: Endpoint) -> list[object]:
    """The access markers among a route's dependencies (router level, top level, nested)."""
    found = [c for c in endpoint.router_dependencies if _is_marker(c)]

    def walk(dependant) -> None:
        for dep in dependant.dependencies:
            if _is_marker(dep.call):
                found.append(dep.call)
            walk(dep)

    walk(endpoint.route.dependant)
    return found


def api_routes(app) -> list[Endpoint]:
    """Every API route of the app, through included routers, with its full path."""
    out: list[Endpoint] = []

    def walk(routes, prefix: str, deps: list[object]) -> None:
        for r in routes:
            if isinstance(r, APIRoute):
                out.append(Endpoint(prefix + r.path, set(r.methods), r, deps))
            elif hasattr(r, "original_router"):
                ctx = r.include_context
                walk(
                    r.original_router.routes,
                    prefix + ctx.prefix,
                    deps + [d.dependency for d in ctx.dependencies],
                )

    walk(app.routes, "", [])
    return out


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", path)


def test_every_route_declares_exactly_one_access_rule(served) -> None:
    client, _ = served
    problems = []
    for route in api_routes(client.app):
        markers = {id(m): m for m in declared_access(route)}
        if len(markers) != 1:
            problems.append(f"{sorted(route.methods)} {route.path}: {list(markers.values())}")
    assert len(api_routes(client.app)) >= 4
    assert not problems, "routes without exactly one access rule:\n" + "\n".join(problems)
    others = (
        {
            r.path
            for r in client.app.routes
            if not isinstance(r, APIRoute) and not hasattr(r, "original_router")
        }
        - FRAMEWORK_PUBLIC
        - {"/static"}
    )
    assert not others, f"routes outside the access rules: {others}"


def _cases(app) -> list[tuple[str, str, Role]]:
    cases = []
    for route in api_routes(app):
        marker = declared_access(route)[0]
        if isinstance(marker, RoleRequirement):
            for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
                cases.append((method, concrete(route.path), marker.role))
    return cases


def test_non_public_routes_refuse_anonymous_callers(served) -> None:
    client, _ = served
    anonymous = TestClient(client.app)
    cases = _cases(client.app)
    assert cases, "no protected routes found"
    for method, path, _role in cases:
        response = anonymous.request(method, path, follow_redirects=False)
        if path.startswith("/v1"):
            assert response.status_code == 401, (method, path, response.status_code)
            assert response.json()["error"]["code"] == "unauthorized"
        else:
            assert response.status_code == 303, (method, path, response.status_code)
            assert response.headers["location"].startswith("/login?next=")


def test_non_public_routes_refuse_lower_roles(served) -> None:
    client, keys = served
    checked = 0
    for method, path, needed in _cases(client.app):
        for role in Role:
            if role.allows(needed):
                continue
            response = client.request(
                method,
                path,
                headers={"Authorization": f"Bearer {keys[role.value]}"},
                follow_redirects=False,
            )
            assert response.status_code == 403, (method, path, role, response.status_code)
            checked += 1
    assert checked > 0 or all(n is Role.VIEWER for *_, n in _cases(client.app))


@pytest.mark.parametrize("bad", ["cxk_000000000000_" + "a" * 32, "nonsense", "cxw_x"])
def test_invalid_or_wrong_kind_keys_are_anonymous(served, bad: str) -> None:
    client, keys = served
    fresh = TestClient(client.app)
    assert fresh.get("/v1/me", headers={"Authorization": f"Bearer {bad}"}).status_code == 401
    write = keys["write"]
    assert fresh.get("/v1/me", headers={"Authorization": f"Bearer {write}"}).status_code == 401


def test_each_role_reaches_what_it_may(served) -> None:
    client, keys = served
    for role in Role:
        fresh = TestClient(client.app)
        got = fresh.get("/v1/me", headers={"Authorization": f"Bearer {keys[role.value]}"})
        assert got.status_code == 200 and got.json()["role"] == role.value
