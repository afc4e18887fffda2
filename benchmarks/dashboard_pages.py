"""Dashboard pages at full scale: each page the bench's ``pages`` stage requests, one client.

Builds the app on a project (a copy: it adds a viewer's API key) as ``cxloop serve`` does and
requests ``/``, ``/feedback`` and ``/scorecard`` through Starlette's ``TestClient``: the first
load, then ``--repeat`` more, each timed, with the load average (``uptime``) before and after.
Run it with ``PYTHONPATH`` pointing at another checkout's ``src`` to time that code in the
same session. Prints Markdown.

    python -m benchmarks.dashboard_pages PROJECT [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

PAGES = ("/", "/feedback", "/scorecard")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("project", type=Path, help="a project directory (a copy: it is written)")
    parser.add_argument("--repeat", type=int, default=3, help="loads after the first")
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from cxloop.access.keys import add_key
    from cxloop.api.app import create_app
    from cxloop.config import Settings
    from cxloop.project import open_project_warehouse

    settings = Settings.load(project=args.project)
    with open_project_warehouse(settings) as wh:
        _, key = add_key(wh, "api", role="viewer")
        app = create_app(settings, warehouse=wh)
        headers = {"Authorization": f"Bearer {key}"}
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
        print("| page | first load | next loads |\n|---|---:|---|")
        with TestClient(app) as client:
            for page in PAGES:
                seconds = []
                for _ in range(1 + args.repeat):
                    started = time.perf_counter()
                    response = client.get(page, headers=headers)
                    seconds.append(time.perf_counter() - started)
                    if response.status_code != 200:
                        raise SystemExit(f"{page}: HTTP {response.status_code}")
                rest = ", ".join(f"{s:.2f} s" for s in seconds[1:])
                print(f"| `{page}` | {seconds[0]:.2f} s | {rest} |", flush=True)
        print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
