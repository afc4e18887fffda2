"""The Spanish AFINN list as a lexicon file (scripts/afinn_es_lexicon.py), with Spanish rules."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))

from afinn_es_lexicon import clean, write_spanish_lexicon

from cxloop.understand.text.lexicon_features import SPANISH_RULES, read_lexicon


def test_entries_are_cleaned_and_duplicates_averaged() -> None:
    entries = {"Bajo  Expectativas": -2, "bien defendido,": 2, "No": -1, "sí": 1, "neutro": 0,
               "Feliz": 3, "feliz": 2}  # fmt: skip
    assert clean(entries) == {"bajo expectativas": -2.0, "bien defendido": 2.0, "feliz": 2.5}


def test_the_written_file_reads_back_with_its_notice(tmp_path: Path) -> None:
    source = tmp_path / "AFINN-es.json"
    source.write_text(json.dumps({"increíble": 4, "no funciona": -3, "pésimo": -3}), "utf-8")
    path = write_spanish_lexicon(source, tmp_path)
    lexicon = read_lexicon(path, "lexicon-es", SPANISH_RULES)
    assert lexicon.words == {"increible": 4.0, "no funciona": -3.0, "pesimo": -3.0}
    assert "Open Database License" in (tmp_path / "NOTICE-lexicon-es.txt").read_text("utf-8")
    rows = lexicon.features(["¡Increíble!", "la app no funciona", "no es pésimo", "nada"])
    assert rows[0, 0] > 0 > rows[1, 0] and rows[2, 0] > 0 and rows[3].tolist() == [0.0] * 4
