"""docs/security.md's table of routes and roles is the app's: every route, its least role."""

from __future__ import annotations

import re
from pathlib import Path

from api.test_permissions import api_routes, declared_access
from cxloop.api import create_app
from cxloop.api.deps import RoleRequirement
from cxloop.config import Settings
from cxloop.domain.access import Role
from cxloop.project import init_project

DOC = Path(__file__).parents[1] / "docs" / "security.md"


def documented() -> set[tuple[str, str, str]]:
    """(method, path, role) for every route named in the table between the markers."""
    text = DOC.read_text(encoding="utf-8")
    table = text.split("<!-- routes:start -->")[1].split("<!-- routes:end -->")[0]
    rows = set()
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 or not cells[0].startswith("`"):
            continue
        role = cells[1].split()[0]
        named = re.findall(r"`([^`]+)`", cells[0])
        method = named[0].split()[0]
        for item in named:
            rows.add((method, item.split()[-1], role))
    return rows


def declared(tmp_path: Path) -> set[tuple[str, str, str]]:
    init_project(tmp_path / "acme")
    app = create_app(Settings.load(project=tmp_path / "acme"))
    rows = set()
    for route in api_routes(app):
        marker = declared_access(route)[0]
        role = marker.role.value if isinstance(marker, RoleRequirement) else "public"
        for method in route.methods - {"HEAD", "OPTIONS"}:
            rows.add((method, route.path, role))
    return rows


def test_the_roles_table_matches_the_routes(tmp_path: Path) -> None:
    in_doc, in_app = documented(), declared(tmp_path)
    assert {role for *_, role in in_doc} <= {r.value for r in Role} | {"public"}
    missing = sorted(in_app - in_doc)
    stale = sorted(in_doc - in_app)
    assert not missing, f"routes missing from (or with another role in) docs/security.md: {missing}"
    assert not stale, f"docs/security.md lists routes the app does not have: {stale}"


def test_security_md_points_to_the_document() -> None:
    policy = (DOC.parents[1] / "SECURITY.md").read_text(encoding="utf-8")
    assert "docs/security.md" in policy and "vulnerability" in policy
