"""A dry run's digest preview in Chromium: the chart is drawn from the inline image, the page
loads nothing from outside and runs no script. Screenshots go to pytest's tmp dir (or to
$CXLOOP_SCREENSHOTS when set)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser.test_dashboard import CHROMIUM
from cxloop.share.digests import send_digests
from share.digest_data import NOW, OPTIONS, build_company

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CXLOOP_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_team_digest_preview_renders_offline(browser, warehouse, tmp_path, shots) -> None:
    build_company(warehouse)
    out = tmp_path / "previews"
    send_digests(warehouse, OPTIONS, dry_run=True, out_dir=out, now=NOW)
    page = browser.new_page(viewport={"width": 720, "height": 900}, java_script_enabled=False)  # type: ignore[attr-defined]
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    for name, shot in (("team-web-E3-week-2026-12-06", "digest-team-zh.png"),
                       ("team-web-E1-week-2026-12-06", "digest-team-es.png"),
                       ("customer-C1-month-2026-11", "digest-progress-en.png")):  # fmt: skip
        page.goto((out / f"{name}.html").as_uri())
        page.screenshot(path=shots / shot, full_page=True)
    page.goto((out / "team-web-E3-week-2026-12-06.html").as_uri())
    assert page.locator("h1").inner_text() == "本周的客户"
    chart = page.locator("img").first
    assert chart.evaluate("img => img.complete && img.naturalWidth > 500")
    # every chart has a table: the weeks' NPS with intervals
    assert page.locator("table").nth(1).locator("tbody tr").count() == 2
    assert all(url.startswith(("file://", "data:")) for url in requests), requests
    page.close()
