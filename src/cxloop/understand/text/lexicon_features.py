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
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
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
class SentimentLexicon:
    """Valences of words and emoticons (lower case) and of single emoji characters."""

    name: str
    words: dict[str, float]
    emoji: dict[str, float]

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
        text = _APOSTROPHES.sub("'", text)
        tokens = [_strip(t) for t in text.split()]
        tokens = [t for t in tokens if t]
        lowered = [t.lower() for t in tokens]
        some_caps = any(t.isupper() for t in tokens) and not all(t.isupper() for t in tokens)
        but = lowered.index("but") if "but" in lowered else -1
        words = self.words
        valences = []
        for i, word in enumerate(lowered):
            valence = words.get(word)
            if valence is None:
                continue
            if some_caps and tokens[i].isupper() and len(tokens[i]) > 1:
                valence += _CAPS_INCREMENT if valence > 0 else -_CAPS_INCREMENT
            before = lowered[max(0, i - 3) : i]
            if any(w in _NEGATIONS or w.endswith("n't") for w in before):
                valence *= _NEGATION_SCALE
            if but >= 0:
                valence *= 0.5 if i < but else 1.5 if i > but else 1.0
            valences.append(valence)
        if self.emoji and not text.isascii():
            valences.extend(self.emoji[c] for c in text if c in self.emoji)
        return valences


def _strip(token: str) -> str:
    """A token without the punctuation around it, unless it is all punctuation (``:-)``)."""
    stripped = token.strip(_EDGE_PUNCTUATION)
    return stripped if len(stripped) > 1 else token


def read_lexicon(path: Path, name: str) -> SentimentLexicon:
    """Read a lexicon file: ``token<TAB>valence`` lines; one-character tokens that are not
    letters or digits are emoji (looked up anywhere in a text, not only as words)."""
    words: dict[str, float] = {}
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
        else:
            words[token] = valence
    return SentimentLexicon(name, words, emoji)


@cache
def shipped_lexicon(name: str) -> SentimentLexicon:
    """A lexicon shipped in the package, ``models/<name>.tsv`` (read once per process)."""
    path = Path(str(resources.files("cxloop.understand.text").joinpath("models", f"{name}.tsv")))
    return read_lexicon(path, name)
