"""Language detection per text with lingua (its models ship inside the wheel: no download).

lingua is restricted to the project's languages: it then only has to tell those apart, which is
both more accurate on short texts and small (about 100 MB for en/es/zh against about 1 GB for
every language lingua knows).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cxloop.errors import ConfigError
from cxloop.understand.text.parts import UNDETERMINED

if TYPE_CHECKING:
    import lingua

DEFAULT_LANGUAGES = ("en", "es", "zh")


class LinguaLanguageDetector:
    """Detects the language of each text among ``languages`` (ISO 639-1 codes).

    Parameters
    ----------
    languages
        The languages a text may be in; a text in none of them gets the closest one. With a
        single language every non-empty text gets it.
    minimum_relative_distance
        lingua's margin (0 to 0.99) between the best and the second-best language below which
        a text is ``"und"``; 0 always names a language when the text has letters.

    Examples
    --------
    >>> LinguaLanguageDetector().detect(["Where is my parcel?", "¿Dónde está mi pedido?", ""])
    ['en', 'es', 'und']
    """

    def __init__(
        self, languages: Sequence[str] = DEFAULT_LANGUAGES, minimum_relative_distance: float = 0.0
    ) -> None:
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        if not languages:
            raise ConfigError("languages: at least one language is needed for detection")
        codes = []
        for code in dict.fromkeys(lang.strip().lower() for lang in languages):
            iso = getattr(IsoCode639_1, code.upper(), None) if code.isalpha() else None
            if iso is None or len(code) != 2:
                raise ConfigError(f"languages: {code!r} is not an ISO 639-1 code lingua knows")
            codes.append(iso)
        self.languages = tuple(code.name.lower() for code in codes)
        self._detector: lingua.LanguageDetector | None = None
        if len(codes) > 1:
            self._detector = (
                LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
                .with_minimum_relative_distance(minimum_relative_distance)
                .build()
            )

    def detect(self, texts: Sequence[str]) -> list[str]:
        """One ISO 639-1 code per text; ``"und"`` for an empty or undetermined text."""
        if self._detector is None:
            only = self.languages[0]
            return [only if _has_letters(text) else UNDETERMINED for text in texts]
        out = []
        for text in texts:
            found = self._detector.detect_language_of(text) if text.strip() else None
            out.append(found.iso_code_639_1.name.lower() if found is not None else UNDETERMINED)
        return out


def _has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)
