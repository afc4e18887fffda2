"""Model files: a valid one loads; each mistake names the file, the line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxloop.errors import ConfigError
from cxloop.understand.valuechain import load_chain_file, load_model_file
from cxloop.understand.valuechain.chain_file import CHAIN_FILE
from valuechain_models import MODEL_FILE

GOOD = """\
blocks:
  A: [a1, a2]
  B: [b1]
  C: [c1, c2]
modes: {A: B}
paths:
  - [A, B]
  - [B, C]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "model.yaml"
    path.write_text(text)
    return path


def test_a_valid_model(tmp_path: Path) -> None:
    spec = load_model_file(write(tmp_path, GOOD), columns=["a1", "a2", "b1", "c1", "c2", "x"])
    assert spec.constructs == ["A", "B", "C"]
    assert spec.mode("A") == "B" and spec.mode("C") == "A"
    assert spec.predecessors("C") == ["B"] and spec.endogenous == ["B", "C"]
    assert load_model_file(MODEL_FILE).constructs[0] == "Image"


@pytest.mark.parametrize(
    ("text", "columns", "expected"),
    [
        (
            GOOD,
            ["a1", "a2", "b1", "c1"],
            r"model.yaml:4: blocks.C.1: column 'c2' is not in the data",
        ),
        (
            GOOD.replace("  - [B, C]", "  - [B, C]\n  - [C, A]"),
            None,
            r"model.yaml:9: paths.2: the paths form a cycle: A -> B -> C -> A",
        ),
        (
            GOOD.replace("B: [b1]", "B: []"),
            None,
            r"model.yaml:3: blocks.B: block 'B' has no indicators",
        ),
        (GOOD.replace("[B, C]", "[B, D]"), None, r"model.yaml:8: paths.1: 'D' is not a block"),
        (
            GOOD.replace("{A: B}", "{A: C}"),
            None,
            r"model.yaml:5: modes.A: Input should be 'A' or 'B'",
        ),
        (
            GOOD.replace("C: [c1, c2]", "C: [c1, b1]"),
            None,
            r"model.yaml:4: blocks.C.1: column 'b1' is already in block 'B'",
        ),
        (GOOD.replace("[B, C]", "[B, B]"), None, r"model.yaml:8: paths.1: B -> B points at itself"),
        (
            GOOD.replace("  - [B, C]\n", ""),
            None,
            r"model.yaml:4: blocks.C: block 'C' is on no path",
        ),
        (
            GOOD.replace("[B, C]", "[B, C, A]"),
            None,
            r"model.yaml:8: paths.1: Tuple should have at most 2",
        ),
        (GOOD + "weights: 3\n", None, r"model.yaml:9: weights: Extra inputs are not permitted"),
        ("blocks: {A: [a]}\n", None, r"model.yaml:1: paths: Field required"),
    ],
)
def test_mistakes_name_file_line_and_field(
    tmp_path: Path, text: str, columns: list[str] | None, expected: str
) -> None:
    with pytest.raises(ConfigError, match=expected):
        load_model_file(write(tmp_path, text), columns=columns)


def test_the_starter_chain_file_is_valid(project) -> None:
    chain = load_chain_file(Path(project.project) / CHAIN_FILE)
    assert chain.engagement == "Engagement" and "Loyalty" in chain.outcomes
    assert chain.spec().predecessors("Quality") == ["Engagement"]


def test_chain_file_mistakes(tmp_path: Path, project) -> None:
    text = (Path(project.project) / CHAIN_FILE).read_text()
    bad = write(tmp_path, text.replace("Quality: [csat, csat_good", "Quality: [csat, csat_great"))
    with pytest.raises(ConfigError, match=r"model.yaml:\d+: blocks.Quality.1: unknown column "
                                          "'csat_great'"):  # fmt: skip
        load_chain_file(bad)
    bad = write(tmp_path, text.replace("engagement: Engagement", "engagement: Staff"))
    with pytest.raises(ConfigError, match=r"engagement: 'Staff' is not a block"):
        load_chain_file(bad)
    with pytest.raises(ConfigError, match="file not found"):
        load_chain_file(tmp_path / "nothing.yaml")
