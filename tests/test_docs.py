"""Documentation keeps up with the code: a command, setting or field without docs fails."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from cxloop.bench.options import FLAGS, BenchOptions
from cxloop.cli.main import app
from cxloop.config import Settings
from cxloop.domain.records import IMPORT_KINDS

ROOT = Path(__file__).resolve().parents[1]


def read(rel: str) -> str:
    return (ROOT / rel).read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [c.name for c in app.registered_commands])
def test_every_command_is_documented(command: str) -> None:
    assert f"## `cxloop {command}" in read("docs/cli.md")


@pytest.mark.parametrize(
    "command",
    [
        f"{group.name} {sub.name}"
        for group in app.registered_groups
        for sub in group.typer_instance.registered_commands
    ],
)
def test_every_sub_command_is_documented(command: str) -> None:
    group = command.split()[0]
    doc = read("docs/cli.md")
    assert f"## `cxloop {group}" in doc
    assert f"`cxloop {command}" in doc


@pytest.mark.parametrize("setting", list(Settings.model_fields))
def test_every_setting_is_documented(setting: str) -> None:
    doc = read("docs/configuration.md")
    assert f"`{setting}`" in doc and f"`CXLOOP_{setting.upper()}`" in doc


@pytest.mark.parametrize("kind", list(IMPORT_KINDS.values()), ids=list(IMPORT_KINDS))
def test_every_import_field_is_documented(kind) -> None:
    row = next(
        line
        for line in read("docs/importing.md").splitlines()
        if line.startswith(f"| `{kind.name}` |")
    )
    for name in kind.field_names:
        assert name in row, f"{kind.name}.{name} missing from docs/importing.md"


def _bench_option_rows() -> dict[str, str]:
    """The rows of ``cxloop bench``'s table in docs/cli.md, by each flag they name."""
    section = read("docs/cli.md").split("## `cxloop bench", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `--")]
    return {flag: row for row in rows for flag in re.findall(r"`(--[a-z-]+)", row.split("|")[1])}


def test_every_bench_option_and_its_default_is_documented() -> None:
    rows = _bench_option_rows()
    command = typer.main.get_command(app).commands["bench"]  # type: ignore[attr-defined]
    flags = {opt for param in command.params for opt in param.opts if opt != "--help"}
    assert flags == set(rows)
    defaults = BenchOptions()
    for name, flag in FLAGS.items():
        value = getattr(defaults, name)
        if isinstance(value, int | float):
            assert f"default {value:,.0f}" in rows[flag], f"{flag}: default {value:,.0f}"
            param = next(p for p in command.params if flag in p.opts)
            if flag == "--scale":  # no default of its own: a resumed run keeps its scale
                assert f"default {value:,}" in (param.help or "")
            else:
                assert param.default == value, flag


def test_readme_gives_the_two_commands() -> None:
    readme = read("README.md")
    assert "make demo" in readme and "make test" in readme
    assert "make test" in read(".ci/run")


def test_ci_logs_name_the_slowest_tests() -> None:
    recipe = read("Makefile").split("\ntest: install\n", 1)[1].split("\n\n", 1)[0]
    assert "pytest -n 2 --dist loadgroup --durations=25" in recipe
    assert "--durations=25" in read("docs/testing.md")


def test_changelog_has_an_unreleased_section() -> None:
    assert "## [Unreleased]" in read("CHANGELOG.md")
