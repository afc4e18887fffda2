"""Sentiment-lexicon features: a few numbers per text from word valences, for a linear model.

A lexicon maps a word (or an emoticon, or an emoji) to a valence, negative to positive. The
features follow the rules of VADER (Hutto & Gilbert, 2014) in a simpler, faster form: a word's
valence is reversed and damped after a negation among the three words before it, raised when
the word is in capitals in a text that is not, halved before a ``but`` and raised after it.
Emojis are looked up character by character. The sum of the valences, squashed into (-1, 1),
and the shares of positive and negative valence are what the model sees; it learns how much to
trust them next to its n-grams, which helps most where training texts are few (tweets).

The shipped English lexicon (``models/lexicon-en.tsv``) is VADER's (MIT licence, see
``models/LICENSE-vader.txt``), with each emoji scored by the words of its VADER description.
Spanish rules (:data:`SPANISH_RULES`) look words up without accents, match entries of several
words, reverse a valence after ``no``/``nunca``/``sin``… and weigh what follows ``pero`` more.
They were tried with AFINN-165 machine-translated into Spanish (``lexicon-es``, written by
``scripts/afinn_es_lexicon.py``), which did not ship: docs/text-analytics.md says why.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from cxloop.errors import ConfigError

#: Number of features per text: squashed sum, positive share, negative share, any lexicon hit.
N_LEXICON_FEATURES = 4

_NEGATION_SCALE = -0.74  # VADER's N_SCALAR
_CAPS_INCREMENT = 0.733  # VADER's C_INCR
_ALPHA = 15.0  # VADER's normalisation of the sum into (-1, 1)
_EDGE_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~¡¿…“”‘’«»"
_NEGATIONS = frozenset(
    [
        "aint",
        "arent",
        "cannot",
        "cant",
        "couldnt",
        "darent",
        "didnt",
        "doesnt",
        "ain't",
        "aren't",
        "can't",
        "couldn't",
        "daren't",
        "didn't",
        "doesn't",
        "dont",
        "hadnt",
        "hasnt",
        "havent",
        "isnt",
        "mightnt",
        "mustnt",
        "neither",
        "don't",
        "hadn't",
        "hasn't",
        "haven't",
        "isn't",
        "mightn't",
        "mustn't",
        "neednt",
        "needn't",
        "never",
        "none",
        "nope",
        "nor",
        "not",
        "nothing",
        "nowhere",
        "oughtnt",
        "shant",
        "shouldnt",
        "uhuh",
        "wasnt",
        "werent",
        "oughtn't",
        "shan't",
        "shouldn't",
        "uh-uh",
        "wasn't",
        "weren't",
        "without",
        "wont",
        "wouldnt",
        "won't",
        "wouldn't",
        "rarely",
        "seldom",
        "despite",
    ]
)
_APOSTROPHES = re.compile(r"[’‘`´]|\\u2019|\\u2018")


@dataclass(frozen=True)
class LexiconRules:
    """How a language's words are matched: its negations, its ``but``, accents, phrases.

    ``fold_accents`` looks words up without their accents (``increíble`` and ``increible`` are
    one word; the lexicon's entries are folded the same way); ``phrases`` matches entries of
    several words (the longest first) before single words; ``contractions`` counts any word
    ending in ``n't`` as a negation (English).
    """

    negations: frozenset[str]
    contrast: str
    negation_window: int = 3
    fold_accents: bool = False
    phrases: bool = False
    contractions: bool = False


#: VADER's rules (what the English model was trained with).
ENGLISH_RULES = LexiconRules(_NEGATIONS, "but", contractions=True)
#: Spanish: ``no``, ``nunca``, ``jamás``, ``sin``, ``ni``, ``tampoco`` reverse the valence of a
#: word among the three after them; ``pero`` plays VADER's ``but``.
SPANISH_RULES = LexiconRules(
    frozenset(["no", "nunca", "jamas", "sin", "ni", "tampoco"]),
    "pero",
    fold_accents=True,
    phrases=True,
)
_RULES = {"lexicon-es": SPANISH_RULES}


@dataclass(frozen=True)
class SentimentLexicon:
    """Valences of words and emoticons (lower case) and of single emoji characters.

    ``words`` may hold entries of several words (joined by one space); they are matched only
    where ``rules.phrases`` says so.
    """

    name: str
    words: dict[str, float]
    emoji: dict[str, float]
    rules: LexiconRules = ENGLISH_RULES
    longest: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        longest = (
            max((k.count(" ") + 1 for k in self.words), default=1) if self.rules.phrases else 1
        )
        object.__setattr__(self, "longest", longest)

    def features(self, texts: Sequence[str]) -> np.ndarray:
        """One row of :data:`N_LEXICON_FEATURES` numbers per text.

        Examples
        --------
        >>> lexicon = SentimentLexicon("tiny", {"good": 1.9, "bad": -2.5}, {})
        >>> lexicon.features(["not good", "good", "none here"]).round(2).tolist()
        [[-0.34, 0.0, 1.0, 1.0], [0.44, 1.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0]]
        """
        out = np.zeros((len(texts), N_LEXICON_FEATURES))
        for row, text in enumerate(texts):
            valences = self._valences(text)
            if not valences:
                continue
            total = sum(valences)
            positive = sum(v for v in valences if v > 0)
            negative = -sum(v for v in valences if v < 0)
            out[row, 0] = total / math.sqrt(total * total + _ALPHA)
            out[row, 1] = positive / (positive + negative) if positive + negative else 0.0
            out[row, 2] = negative / (positive + negative) if positive + negative else 0.0
            out[row, 3] = 1.0
        return out

    def _valences(self, text: str) -> list[float]:
        rules = self.rules
        text = _APOSTROPHES.sub("'", text)
        tokens = [_strip(t) for t in text.split()]
        tokens = [t for t in tokens if t]
        lowered = [t.lower() for t in tokens]
        if rules.fold_accents:
            lowered = [fold_accents(t) for t in lowered]
        some_caps = any(t.isupper() for t in tokens) and not all(t.isupper() for t in tokens)
        but = lowered.index(rules.contrast) if rules.contrast in lowered else -1
        words = self.words
        if self.longest == 1:
            matches = [(i, v) for i, w in enumerate(lowered) if (v := words.get(w)) is not None]
        else:
            matches = self._phrase_matches(lowered)
        window, negations, contractions = rules.negation_window, rules.negations, rules.contractions
        valences = []
        for i, valence in matches:
            if some_caps and tokens[i].isupper() and len(tokens[i]) > 1:
                valence += _CAPS_INCREMENT if valence > 0 else -_CAPS_INCREMENT
            before = lowered[max(0, i - window) : i]
            if any(w in negations or (contractions and w.endswith("n't")) for w in before):
                valence *= _NEGATION_SCALE
            if but >= 0:
                valence *= 0.5 if i < but else 1.5 if i > but else 1.0
            valences.append(valence)
        if self.emoji and not text.isascii():
            valences.extend(self.emoji[c] for c in text if c in self.emoji)
        return valences

    def _phrase_matches(self, lowered: list[str]) -> list[tuple[int, float]]:
        """(position, valence) of each entry found, the longest entry first at each word."""
        words, matches, i = self.words, [], 0
        while i < len(lowered):
            valence, length = words.get(lowered[i]), 1
            for n in range(min(self.longest, len(lowered) - i), 1, -1):
                phrase = words.get(" ".join(lowered[i : i + n]))
                if phrase is not None:
                    valence, length = phrase, n
                    break
            if valence is not None:
                matches.append((i, valence))
            i += length
        return matches


def fold_accents(word: str) -> str:
    """``word`` without its accents and diacritics (``increíble`` → ``increible``, ``ñ`` → ``n``).

    Examples
    --------
    >>> fold_accents("pésimo servicio, año")
    'pesimo servicio, ano'
    """
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _strip(token: str) -> str:
    """A token without the punctuation around it, unless it is all punctuation (``:-)``)."""
    stripped = token.strip(_EDGE_PUNCTUATION)
    return stripped if len(stripped) > 1 else token


def read_lexicon(path: Path, name: str, rules: LexiconRules = ENGLISH_RULES) -> SentimentLexicon:
    """Read a lexicon file: ``token<TAB>valence`` lines; one-character tokens that are not
    letters or digits are emoji (looked up anywhere in a text, not only as words).

    With ``rules.fold_accents``, entries are folded as the texts will be; entries that become
    one (``está``, ``esta``) get the mean of their valences.
    """
    words: dict[str, float] = {}
    folded: dict[str, list[float]] = {}
    emoji: dict[str, float] = {}
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the sentiment lexicon ({exc})") from exc
    for number, line in enumerate(lines, start=1):
        if not line or line.startswith("#"):
            continue
        token, _, value = line.partition("\t")
        try:
            valence = float(value)
        except ValueError:
            raise ConfigError(f"{path}:{number}: valence: not a number: {value!r}") from None
        if len(token) == 1 and not token.isalnum() and ord(token) > 0x2000:
            emoji[token] = valence
        elif rules.fold_accents:
            folded.setdefault(fold_accents(token.lower()), []).append(valence)
        else:
            words[token] = valence
    for token, values in folded.items():
        words[token] = sum(values) / len(values)
    return SentimentLexicon(name, words, emoji, rules)


@cache
def shipped_lexicon(name: str) -> SentimentLexicon:
    """A lexicon shipped in the package, ``models/<name>.tsv`` (read once per process)."""
    path = Path(str(resources.files("cxloop.understand.text").joinpath("models", f"{name}.tsv")))
    return read_lexicon(path, name, _RULES.get(name, ENGLISH_RULES))
