"""segments/*.yaml: validated on load, mistakes named by file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxloop.errors import ConfigError, NotFoundError
from cxloop.understand.segments import find_segment, load_segments


def write(project: Path, name: str, text: str) -> Path:
    folder = project / "segments"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_definitions_load_sorted_by_id_and_comment_only_files_are_skipped(tmp_path: Path) -> None:
    write(tmp_path, "b.yaml", "id: zz\nname: Z\nrule: nps <= 6\n")
    write(tmp_path, "a.yaml", "id: aa\nname: A\nrule: orders_90d >= 2\n"
          "webhook:\n  url: https://example.com/h\n  secret_env: HOOK_SECRET\n")  # fmt: skip
    write(tmp_path, "starter.yaml", "# id: commented\n# rule: nps > 1\n")
    loaded = load_segments(tmp_path)
    assert [d.id for d, _ in loaded] == ["aa", "zz"]
    assert loaded[0][0].webhook is not None and loaded[0][0].webhook.secret_env == "HOOK_SECRET"
    assert find_segment(tmp_path, "zz")[1].fields == {"nps"}


def test_a_bad_rule_names_file_line_and_column_with_a_caret(tmp_path: Path) -> None:
    path = write(tmp_path, "x.yaml", "id: x\nname: X\n\nrule: nps <= 6 and bogus > 1\n")
    with pytest.raises(ConfigError) as caught:
        load_segments(tmp_path)
    lines = caught.value.message.splitlines()
    assert lines[0].startswith(f"{path}:4: rule: line 1, column 14: unknown field 'bogus'")
    assert lines[1] == "    nps <= 6 and bogus > 1"
    assert lines[2] == "    " + " " * 13 + "^"


def test_a_block_rule_counts_lines_from_below_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, "x.yaml", "id: x\nname: X\nrule: |\n  nps <= 6\n  and orders_90d >=\n")
    with pytest.raises(ConfigError, match=rf"^{path}:5: rule: line 2, column 18: expected"):
        load_segments(tmp_path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: X\nrule: nps > 1\n", ":1: id: Field required"),
        ("id: Bad Id\nname: X\nrule: nps > 1\n", ":1: id: String should match pattern"),
        ("id: x\nname: X\nrule: nps > 1\ncolour: red\n", ":4: colour: Extra inputs"),
        ("id: x\nname: X\nrule: nps > 1\nwebhook:\n  url: ftp://x\n", ":5: webhook.url: Value"),
        ("id: x\nname: X\n  rule: a: b\n", ":3: invalid YAML"),
    ],
)
def test_other_mistakes_name_the_field_and_line(tmp_path: Path, text: str, expected: str) -> None:
    write(tmp_path, "x.yaml", text)
    with pytest.raises(ConfigError, match=expected.replace("[", r"\[")):
        load_segments(tmp_path)


def test_duplicate_ids_and_unknown_ids(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "id: x\nname: A\nrule: nps > 1\n")
    write(tmp_path, "b.yaml", "id: x\nname: B\nrule: nps > 2\n")
    with pytest.raises(ConfigError, match="b.yaml:1: id: 'x' is already the id of .*a.yaml"):
        load_segments(tmp_path)
    (tmp_path / "segments" / "b.yaml").unlink()
    with pytest.raises(NotFoundError, match="no segment 'y' .*; segments: x"):
        find_segment(tmp_path, "y")
