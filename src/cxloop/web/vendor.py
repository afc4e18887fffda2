"""The chart library, served from the app itself: no CDN, nothing large committed to git.

``vl_convert.javascript_bundle()`` gives vega, vega-lite and vega-embed as one script (about
0.9 MB, 0.3 MB gzipped). It is built once per process, kept in memory, and served at
``/static/vendor/vega.js`` with long cache headers; the pages ask for it with the vl-convert
version in the query string, so an upgrade reaches browsers at once.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from dataclasses import dataclass
from importlib.metadata import version

import vl_convert
from fastapi import APIRouter, Request
from fastapi.responses import Response

from cxloop.api.deps import Public

PATH = "/static/vendor/vega.js"
VERSION = version("vl-convert-python")
URL = f"{PATH}?v={VERSION}"

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Bundle:
    body: bytes
    gzipped: bytes
    etag: str


_lock = threading.Lock()
_bundle: Bundle | None = None


def vega_bundle() -> Bundle:
    """The bundle, built on first use (it takes a few seconds) and kept."""
    global _bundle
    with _lock:
        if _bundle is None:
            body = vl_convert.javascript_bundle(None).encode("utf-8")  # type: ignore[arg-type]
            _bundle = Bundle(
                body=body,
                gzipped=gzip.compress(body, compresslevel=9, mtime=0),
                etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"',
            )
        return _bundle


def warm_up() -> None:
    """Build the bundle in the background so the first chart page does not wait for it."""
    threading.Thread(target=vega_bundle, name="cxloop-vega-bundle", daemon=True).start()


@router.get(PATH, dependencies=[Public])
def vega_js(request: Request) -> Response:
    bundle = vega_bundle()
    headers = {
        "Cache-Control": "public, max-age=31536000, immutable",
        "ETag": bundle.etag,
        "Vary": "Accept-Encoding",
    }
    if bundle.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    body = bundle.body
    if "gzip" in request.headers.get("accept-encoding", "").lower():
        body = bundle.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)
