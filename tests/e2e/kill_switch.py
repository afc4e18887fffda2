"""Test-only launcher: the real ``cxloop`` CLI, which SIGKILLs itself at a chosen point.

``python tests/e2e/kill_switch.py ARGS…`` runs ``cxloop ARGS…``. With
``CXLOOP_TEST_KILL=module:Class.method:N`` set, the process kills itself with ``SIGKILL`` as
soon as the ``N``-th call of that method has returned: no ``finally`` block, no rollback, no
flush runs, exactly as when an operator types ``kill -9``. Before dying it writes the point it
reached to the file named by ``CXLOOP_TEST_KILL_MARKER`` (if set), so a test can tell a kill
at the planned point from a crash elsewhere.

The hook lives here, under tests/, so the product carries no test branch.
"""

from __future__ import annotations

import functools
import importlib
import os
import signal
import sys
from pathlib import Path
from typing import Any


def arm(spec: str, marker: str | None) -> None:
    """Wrap ``Class.method`` of ``module`` so that its ``N``-th return kills the process."""
    module_name, attribute, nth = spec.split(":")
    class_name, method_name = attribute.split(".")
    owner = getattr(importlib.import_module(module_name), class_name)
    original = getattr(owner, method_name)
    calls = 0

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        depth = calls
        result = original(*args, **kwargs)
        if depth == int(nth):
            if marker:
                Path(marker).write_text(f"{spec} reached\n")
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(owner, method_name, wrapper)


def main() -> None:
    spec = os.environ.get("CXLOOP_TEST_KILL")
    if spec:
        arm(spec, os.environ.get("CXLOOP_TEST_KILL_MARKER"))
    from cxloop.cli.main import run

    sys.argv = ["cxloop", *sys.argv[1:]]
    run()


if __name__ == "__main__":
    main()
