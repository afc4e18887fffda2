"""Sentiment-lexicon features: valences with VADER's negation, capitals, ``but`` and emoji."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from cxloop.errors import ConfigError
from cxloop.understand.text.lexicon_features import (
    N_LEXICON_FEATURES,
    SPANISH_RULES,
    SentimentLexicon,
    fold_accents,
    read_lexicon,
    shipped_lexicon,
)

TINY = SentimentLexicon("tiny", {"good": 2.0, "bad": -2.0, ":)": 2.0}, {"😠": -2.5})


def _total(text: str) -> float:
    return float(TINY.features([text])[0, 0])


def test_the_sum_is_squashed_and_the_shares_split_positive_from_negative() -> None:
    rows = TINY.features(["good", "good bad bad", "nothing to see", ""])
    assert rows.shape == (4, N_LEXICON_FEATURES)
    assert rows[0, 0] == pytest.approx(2 / np.sqrt(4 + 15))
    assert rows[1].tolist()[1:] == pytest.approx([1 / 3, 2 / 3, 1.0])
    assert rows[2].tolist() == rows[3].tolist() == [0.0, 0.0, 0.0, 0.0]


def test_negation_caps_but_punctuation_and_emoji() -> None:
    assert _total("not good") < 0 < _total("good")
    assert _total("it wasn't very good") < 0
    assert _total("That was GOOD") > _total("That was good")
    assert _total("good, but bad") < 0  # what follows "but" weighs more
    assert _total("Good!!!") == _total("good") and _total("fine :)") > 0
    assert _total("a 😠 reply") < 0
    assert _total("i don\\u2019t think it's good") < 0  # an escaped apostrophe, as in tweets


def test_a_lexicon_file_is_read_and_a_bad_line_named(tmp_path: Path) -> None:
    path = tmp_path / "lex.tsv"
    path.write_text("# comment\ngreat\t3.1\n🙂\t1.5\n", encoding="utf-8")
    lexicon = read_lexicon(path, "lex")
    assert lexicon.words == {"great": 3.1} and lexicon.emoji == {"🙂": 1.5}
    path.write_text("great\t3.1\nawful\tvery\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"lex\.tsv:2: valence"):
        read_lexicon(path, "lex")
    with pytest.raises(ConfigError, match="cannot read"):
        read_lexicon(tmp_path / "absent.tsv", "absent")


def test_the_shipped_english_lexicon_is_vaders() -> None:
    lexicon = shipped_lexicon("lexicon-en")
    assert len(lexicon.words) > 7_000 and len(lexicon.emoji) > 100
    assert lexicon.words["good"] > 1 and lexicon.words["horrible"] < -2
    assert lexicon.emoji["😀"] > 0
    models = Path(str(resources.files("cxloop.understand.text").joinpath("models")))
    assert "MIT" in (models / "LICENSE-vader.txt").read_text(encoding="utf-8")


SPANISH = SentimentLexicon(
    "tiny-es",
    {"bueno": 3.0, "pesimo": -3.0, "sin problemas": 2.0, "problemas": -2.0, "no funciona": -3.0},
    {},
    SPANISH_RULES,
)


def _total_es(text: str) -> float:
    return float(SPANISH.features([text])[0, 0])


def test_spanish_negations_flip_within_three_words_only() -> None:
    assert _total_es("no es bueno") < 0 < _total_es("es bueno")
    assert _total_es("nunca fue tan bueno") < 0 and _total_es("sin nada bueno") < 0
    assert _total_es("no lo sé, pero la comida es bueno") > 0  # four words away and after pero
    assert _total_es("NO, el servicio fue muy bueno") > 0  # the negation is five words before


def test_spanish_lookup_ignores_accents_and_prefers_phrases() -> None:
    assert _total_es("Pésimo") == _total_es("pesimo") < 0
    assert _total_es("todo llegó sin problemas") > 0  # the phrase, not "problemas" negated
    assert _total_es("la app no funciona") == pytest.approx(-3 / np.sqrt(9 + 15))
    assert _total_es("bueno, pero pésimo") < 0  # what follows "pero" weighs more


def test_a_folded_lexicon_averages_entries_that_become_one(tmp_path: Path) -> None:
    path = tmp_path / "es.tsv"
    path.write_text("# comment\nestá\t2\nesta\t1\nMuy Bien\t3\n", encoding="utf-8")
    lexicon = read_lexicon(path, "es", SPANISH_RULES)
    assert lexicon.words == {"esta": 1.5, "muy bien": 3.0} and lexicon.longest == 2
    assert fold_accents("ñandú") == "nandu"
