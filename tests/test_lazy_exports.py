"""Packages that import their names on first use: every exported name resolves, an unknown
one is an AttributeError, and importing the package loads none of them."""

from __future__ import annotations

import subprocess
import sys

import pytest

import cxloop
import cxloop.bench


@pytest.mark.parametrize("package", [cxloop, cxloop.bench], ids=["cxloop", "cxloop.bench"])
def test_every_exported_name_resolves(package) -> None:
    assert dir(package) == sorted(package.__all__)
    for name in package.__all__:
        assert getattr(package, name) is not None, name
    with pytest.raises(AttributeError, match=f"module '{package.__name__}' has no attribute"):
        package.no_such_name  # noqa: B018


def test_reading_the_bench_defaults_loads_neither_the_runner_nor_fastapi() -> None:
    code = (
        "import sys; from cxloop.bench.options import BenchOptions; BenchOptions().stages(); "
        "print(sorted(m for m in ('cxloop.bench.runner', 'fastapi') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
