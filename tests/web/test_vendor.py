"""The chart library is served by the app itself: no CDN, cached for long, gzipped."""

from __future__ import annotations

import gzip

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from cxloop.api.deps import public
from cxloop.web import vendor


def test_the_vega_bundle_is_public_and_long_cached(client: TestClient) -> None:
    response = client.get(vendor.URL)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "immutable" in response.headers["cache-control"]
    assert response.headers["content-encoding"] == "gzip", "sent compressed when accepted"
    assert "window.vegaEmbed=" in response.text
    assert len(response.content) > 500_000

    again = client.get(vendor.PATH, headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304 and again.content == b""

    plain = client.get(vendor.PATH, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == gzip.decompress(vendor.vega_bundle().gzipped)


def test_the_bundle_route_is_marked_public() -> None:
    route = next(r for r in vendor.router.routes if isinstance(r, APIRoute))
    assert route.path == vendor.PATH
    assert [d.call for d in route.dependant.dependencies] == [public]
