"""Words of a comment: accent- and case-folded tokens (Latin scripts) and jieba words (Chinese).

The theme tagger and theme discovery split text the same way, so that a term discovery proposes
matches what the tagger then finds.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from functools import cache, lru_cache
from typing import Any

_WORD = re.compile(r"[a-z0-9]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_lock = threading.Lock()


def _strip(char: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))


# accented Latin letters (U+00C0 to U+024F) to their base letters, for str.translate
_FOLD = {code: _strip(chr(code)) for code in range(0xC0, 0x250) if _strip(chr(code)) != chr(code)}


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents (``"Envío"`` → ``"envio"``).

    Examples
    --------
    >>> fold("Envío RÁPIDO, señor")
    'envio rapido, senor'
    """
    text = text.lower()
    if text.isascii():
        return text
    text = text.translate(_FOLD)
    if all(ord(c) < 0x250 or c.isspace() for c in text):
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def latin_words(text: str) -> list[str]:
    """The folded words of a text in a Latin script (letters and digits; the rest separates).

    Examples
    --------
    >>> latin_words("The self-checkout was DOWN!")
    ['the', 'self', 'checkout', 'was', 'down']
    """
    return _WORD.findall(fold(text))


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a Chinese character."""
    return _CJK.search(text) is not None


@cache
def _base_tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    with _lock:
        tokenizer.initialize()
    return tokenizer


@lru_cache(maxsize=4)
def chinese_tokenizer(words: frozenset[str] = frozenset()) -> Any:
    """A jieba tokenizer that keeps each of ``words`` as one token (its own instance).

    jieba builds its prefix dictionary once (about a second, cached in the temporary
    directory); a tokenizer for a set of words copies that dictionary and adds the words, so
    how a text is split depends only on the words asked for, never on what other taxonomies a
    process loaded before (the tagger of one project does not change another's words).
    """
    base = _base_tokenizer()
    if not words:
        return base
    import jieba

    tokenizer = jieba.Tokenizer()
    with _lock:
        tokenizer.FREQ = dict(base.FREQ)
        tokenizer.total = base.total
        tokenizer.initialized = True
        for word in sorted(words):
            if word and tokenizer.FREQ.get(word, 0) < 10_000:
                tokenizer.add_word(word, freq=10_000)
    return tokenizer


def chinese_words(text: str, words: frozenset[str] = frozenset()) -> list[str]:
    """jieba's words of a (lower-cased) text, without whitespace tokens; each of ``words`` (a
    taxonomy's Chinese keywords) is kept as one token.

    Examples
    --------
    >>> chinese_words("客服态度很好 OK")
    ['客服', '态度', '很', '好', 'ok']
    """
    tokenizer = chinese_tokenizer(words)
    return [w for w in tokenizer.cut(text.lower(), HMM=False) if not w.isspace()]
