"""Adding a theme to a project's ``themes/<language>.yaml`` by hand-editing its text.

The new theme is inserted as YAML text after the last theme of the file, so the analyst's
comments, order and layout stay as they were. Only a file whose ``themes`` is written in flow
style (``themes: {a: [...]}``) is re-written as a whole (its leading comment block is kept).
The result is validated before it replaces the file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from cxloop.errors import ConfigError
from cxloop.understand.text.taxonomy import TaxonomyFile, read_taxonomy_file

HEADER = (
    "# Theme taxonomy for {language} comments (understand stage). It extends the themes that\n"
    "# ship with cxloop; see docs/text-analytics.md.\n"
)


def _entry(theme_id: str, body: dict[str, Any], indent: int, note: str | None) -> list[str]:
    dumped = yaml.safe_dump(
        {theme_id: body}, allow_unicode=True, sort_keys=False, default_flow_style=None, width=96
    )
    pad = " " * indent
    lines = [f"{pad}# {note}\n"] if note else []
    return lines + [pad + line + "\n" for line in dumped.splitlines()]


def _top_mapping(text: str, path: Path) -> yaml.MappingNode | None:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: invalid YAML, fix it before adding a theme: {exc}") from exc
    if node is None:
        return None
    if not isinstance(node, yaml.MappingNode):
        raise ConfigError(f"{path}:1: expected a mapping of keys to values at the top level")
    return node


def _after_content(lines: list[str], line: int) -> int:
    """Back up over blank and comment lines that end a block."""
    while line > 0 and (not lines[line - 1].strip() or lines[line - 1].lstrip().startswith("#")):
        line -= 1
    return line


def _insert(text: str, path: Path, theme_id: str, body: dict[str, Any], note: str | None) -> str:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    top = _top_mapping(text, path)
    themes = None
    if top is not None:
        themes = next((v for k, v in top.value if k.value == "themes"), None)
    if themes is None:
        return "".join(lines) + "themes:\n" + "".join(_entry(theme_id, body, 2, note))
    if isinstance(themes, yaml.ScalarNode) and themes.value in ("", "~", "null"):
        at = themes.start_mark.line + 1
        if themes.value:  # "themes: null" or "themes: ~": drop the value
            row = lines[themes.start_mark.line]
            lines[themes.start_mark.line] = row[: themes.start_mark.column].rstrip() + "\n"
        return "".join(lines[:at] + _entry(theme_id, body, 2, note) + lines[at:])
    if isinstance(themes, yaml.MappingNode) and not themes.flow_style and themes.value:
        indent = themes.value[0][0].start_mark.column
        end = themes.value[-1][1].end_mark
        at = end.line if end.column == 0 else end.line + 1
        at = _after_content(lines, min(at, len(lines)))
        return "".join(lines[:at] + _entry(theme_id, body, indent, note) + lines[at:])
    # flow style or something unusual: rewrite, keeping the leading comments
    data = yaml.safe_load(text) or {}
    if not isinstance(data.get("themes"), dict):
        data["themes"] = {}
    data["themes"][theme_id] = body
    header = "".join(line for line in lines if line.startswith("#"))
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=96)
    return header + dumped


def add_theme_to_file(
    path: Path,
    language: str,
    theme_id: str,
    body: dict[str, Any],
    *,
    note: str | None = None,
) -> TaxonomyFile:
    """Add theme ``theme_id`` with ``body`` (label, keywords, phrases, extend) to ``path``.

    The file is created (with ``language``) when missing. Raises :class:`ConfigError` when the
    file is invalid before or would be after the change, or already has the theme; the file is
    left untouched then.
    """
    path = Path(path)
    if path.exists():
        before = read_taxonomy_file(path)
        if before.language != language:
            raise ConfigError(f"{path}: is for language {before.language!r}, not {language!r}")
        if theme_id in before.themes:
            raise ConfigError(
                f"{path}: theme {theme_id!r} already exists; choose another id or edit it there"
            )
        text = path.read_text(encoding="utf-8")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = HEADER.format(language=language) + f"language: {language}\n"
    new_text = _insert(text, path, theme_id, body, note)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".themes-") as folder:
        tmp = Path(folder) / path.name
        tmp.write_text(new_text, encoding="utf-8")
        try:
            checked = read_taxonomy_file(tmp)
        except ConfigError as exc:
            raise ConfigError(exc.message.replace(str(tmp), str(path))) from exc
        if theme_id not in checked.themes:
            raise ConfigError(f"{path}: could not add theme {theme_id!r} to this file's layout")
        os.replace(tmp, path)
    return checked
