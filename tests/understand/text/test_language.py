"""Language detection with lingua, restricted to the project's languages."""

from __future__ import annotations

import pytest

from cxloop.errors import ConfigError
from cxloop.understand.text.language import LinguaLanguageDetector


@pytest.fixture(scope="module")
def detector() -> LinguaLanguageDetector:
    return LinguaLanguageDetector()


def test_detects_english_spanish_and_chinese(detector: LinguaLanguageDetector) -> None:
    texts = [
        "My parcel arrived three days late and nobody told me why.",
        "El pedido llegó tarde y nadie me avisó.",
        "快递太慢了，等了一个星期。",
        "Great service",
        "Muy buen servicio",
    ]
    assert detector.detect(texts) == ["en", "es", "zh", "en", "es"]


def test_empty_and_letterless_texts_are_undetermined(detector: LinguaLanguageDetector) -> None:
    assert detector.detect(["", "   ", "12345 !!!"]) == ["und", "und", "und"]
    assert detector.detect([]) == []


def test_only_the_configured_languages_are_named() -> None:
    detector = LinguaLanguageDetector(["en", "es"])
    assert detector.languages == ("en", "es")
    assert set(detector.detect(["Bonjour, où est mon colis ?", "快递太慢了"])) <= {
        "en",
        "es",
        "und",
    }


def test_a_single_language_names_every_text_with_letters() -> None:
    assert LinguaLanguageDetector(["de"]).detect(["Hallo", "", "?"]) == ["de", "und", "und"]


@pytest.mark.parametrize("bad", [["xx"], ["english"], []])
def test_unknown_languages_are_a_config_error(bad: list[str]) -> None:
    with pytest.raises(ConfigError, match="languages"):
        LinguaLanguageDetector(bad)
