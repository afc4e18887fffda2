"""Tagging comments with the themes of a taxonomy by its keywords and phrases.

English, Spanish and any other language written with spaces: the text is folded (lower case,
no accents) and split into words; a keyword or phrase matches a run of whole words, a word in
*-s* or *-es* matches its singular, and a trailing ``*`` matches any word starting with it.
Chinese: jieba splits the text (every keyword is added to its dictionary first), and a word
matches a keyword it contains. A text whose language has no taxonomy (``und``) is matched
against every language's.

Each distinct word is looked up once per tagger and remembered, so tagging costs a few
dictionary look-ups per word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cxloop.understand.text.segmentation import (
    chinese_words,
    has_cjk,
    latin_words,
)
from cxloop.understand.text.taxonomy import Taxonomy, Theme

CHINESE = "zh"
_CACHE_LIMIT = 200_000

# one word of a pattern: (word, is_prefix)
_Word = tuple[str, bool]
_Rest = tuple[_Word, ...]


def _forms(word: str) -> tuple[str, ...]:
    forms = [word]
    if len(word) > 3 and word.endswith("s"):
        forms.append(word[:-1])
        if word.endswith("es"):
            forms.append(word[:-2])
    return tuple(forms)


def _word_matches(word: str, pattern: _Word) -> bool:
    text, is_prefix = pattern
    if is_prefix:
        return word.startswith(text)
    return text in _forms(word)


def _pattern(term: str) -> tuple[_Word, ...]:
    prefix = term.endswith("*")
    words = latin_words(term.rstrip("*"))
    if not words:
        return ()
    return tuple((w, prefix and i == len(words) - 1) for i, w in enumerate(words))


class _LatinMatcher:
    """Keyword and phrase matching on folded words."""

    def __init__(self, themes: Sequence[Theme]) -> None:
        self.exact: dict[str, list[tuple[_Rest, str]]] = {}
        self.prefixes: list[tuple[str, _Rest, str]] = []
        for theme in themes:
            for term in theme.keywords + theme.phrases:
                words = _pattern(term)
                if not words:
                    continue
                (first, is_prefix), rest = words[0], words[1:]
                if is_prefix:
                    self.prefixes.append((first, rest, theme.id))
                else:
                    self.exact.setdefault(first, []).append((rest, theme.id))
        self._starts: dict[str, tuple[frozenset[str], tuple[tuple[_Rest, str], ...]]] = {}

    def _lookup(self, word: str) -> tuple[frozenset[str], tuple[tuple[_Rest, str], ...]]:
        found = self._starts.get(word)
        if found is not None:
            return found
        candidates = [c for form in _forms(word) for c in self.exact.get(form, ())]
        candidates += [(rest, t) for p, rest, t in self.prefixes if word.startswith(p)]
        single = frozenset(t for rest, t in candidates if not rest)
        multi = tuple((rest, t) for rest, t in candidates if rest and t not in single)
        if len(self._starts) > _CACHE_LIMIT:
            self._starts.clear()
        self._starts[word] = found = (single, multi)
        return found

    def tag(self, text: str) -> set[str]:
        words = latin_words(text)
        themes: set[str] = set()
        lookup = self._lookup
        for i, word in enumerate(words):
            single, multi = lookup(word)
            if single:
                themes |= single
            for rest, theme in multi:
                if theme in themes or i + len(rest) >= len(words):
                    continue
                if all(_word_matches(words[i + 1 + k], p) for k, p in enumerate(rest)):
                    themes.add(theme)
        return themes


class _ChineseMatcher:
    """Keyword matching on jieba words: a word matches every keyword it contains."""

    def __init__(self, themes: Sequence[Theme]) -> None:
        self.terms: list[tuple[str, str]] = []
        for theme in themes:
            for term in theme.keywords + theme.phrases:
                word = "".join(term.rstrip("*").lower().split())
                if word:
                    self.terms.append((word, theme.id))
        self.vocabulary = frozenset(w for w, _ in self.terms if has_cjk(w))
        self._words: dict[str, frozenset[str]] = {}
        # texts with no keyword anywhere skip segmentation
        longest_first = sorted({w for w, _ in self.terms}, key=len, reverse=True)
        self._any = re.compile("|".join(map(re.escape, longest_first))) if self.terms else None

    def _lookup(self, word: str) -> frozenset[str]:
        found = self._words.get(word)
        if found is None:
            found = frozenset(t for term, t in self.terms if term in word)
            if len(self._words) > _CACHE_LIMIT:
                self._words.clear()
            self._words[word] = found
        return found

    def tag(self, text: str) -> set[str]:
        themes: set[str] = set()
        if self._any is None or self._any.search(text.lower()) is None:
            return themes
        lookup = self._lookup
        for word in chinese_words(text, self.vocabulary):
            found = lookup(word)
            if found:
                themes |= found
        return themes


class KeywordThemeTagger:
    """Tags texts with the themes whose keywords or phrases they contain (a ``ThemeTagger``).

    Parameters
    ----------
    taxonomy
        The themes per language, usually from
        :func:`~cxloop.understand.text.taxonomy.load_taxonomy`.

    Examples
    --------
    >>> from cxloop.understand.text.taxonomy import load_taxonomy
    >>> tagger = KeywordThemeTagger(load_taxonomy(None))
    >>> tagger.tag(["The parcel arrived late and I was charged twice."], ["en"])
    [('delivery', 'billing')]
    """

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self._order: dict[str, int] = {}
        for themes in taxonomy.languages.values():
            for theme in themes:
                self._order.setdefault(theme.id, len(self._order))
        self._matchers: dict[str, _LatinMatcher | _ChineseMatcher] = {}

    def _matcher(self, language: str) -> _LatinMatcher | _ChineseMatcher:
        matcher = self._matchers.get(language)
        if matcher is None:
            themes = self.taxonomy.themes(language)
            matcher = _ChineseMatcher(themes) if language == CHINESE else _LatinMatcher(themes)
            self._matchers[language] = matcher
        return matcher

    def chinese_vocabulary(self) -> frozenset[str]:
        """The Chinese keywords jieba keeps as one word when this tagger splits a text."""
        if CHINESE not in self.taxonomy.languages:
            return frozenset()
        matcher = self._matcher(CHINESE)
        assert isinstance(matcher, _ChineseMatcher)
        return matcher.vocabulary

    def tag_one(self, text: str, language: str) -> tuple[str, ...]:
        """The themes of one text, in taxonomy order."""
        if not text:
            return ()
        language = language.split("-")[0].lower()
        if language in self.taxonomy.languages:
            themes = self._matcher(language).tag(text)
        else:
            themes = set()
            for other in self.taxonomy.languages:
                if other != CHINESE or has_cjk(text):
                    themes |= self._matcher(other).tag(text)
        return tuple(sorted(themes, key=self._order.__getitem__))

    def tag(self, texts: Sequence[str], languages: Sequence[str]) -> list[tuple[str, ...]]:
        """The themes of each text, in taxonomy order (empty where none matched)."""
        if len(texts) != len(languages):
            raise ValueError(f"{len(texts)} texts but {len(languages)} languages")
        return [
            self.tag_one(text, language) for text, language in zip(texts, languages, strict=True)
        ]
