"""Discovering themes the taxonomy misses, and promoting one into the project's taxonomy.

Per language, the comments that no theme of the taxonomy matches are turned into TF-IDF
vectors of their words (and, in English and Spanish, pairs of adjacent words; jieba words in
Chinese, stop words left out) and factorised with non-negative matrix factorisation (NMF). Each
NMF component is a candidate theme: its heaviest terms label it, the comments that load most
on it are its examples, and the comments whose strongest component it is are its size.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from cxloop.errors import UsageError
from cxloop.understand.text.parts import UNDETERMINED
from cxloop.understand.text.segmentation import chinese_words, fold, has_cjk
from cxloop.understand.text.stop_words import stop_words
from cxloop.understand.text.taxonomy import THEME_ID, Taxonomy, load_taxonomy
from cxloop.understand.text.taxonomy_writer import add_theme_to_file
from cxloop.understand.text.themes import KeywordThemeTagger

_LETTERS = re.compile(r"[^\W\d_]+")


class DiscoveredTheme(BaseModel):
    """A candidate theme found among comments the taxonomy does not cover."""

    model_config = ConfigDict(frozen=True)

    id: str
    language: str
    label: str
    terms: tuple[str, ...]
    size: int
    share: float
    examples: tuple[str, ...]


class PromotedTheme(BaseModel):
    """A theme written into a project's taxonomy file."""

    model_config = ConfigDict(frozen=True)

    path: Path
    theme_id: str
    language: str
    label: str
    keywords: tuple[str, ...]
    extend: bool


class _Words:
    """Splits comments of one language into discovery terms; remembers how words were written."""

    def __init__(self, language: str, vocabulary: frozenset[str] = frozenset()) -> None:
        self.language = language
        self.vocabulary = vocabulary
        self.stop = stop_words(language)
        self.surface: dict[str, Counter[str]] = defaultdict(Counter)

    def _latin(self, text: str) -> list[str]:
        kept: list[str | None] = []
        for word in _LETTERS.findall(text.lower()):
            folded = fold(word)
            if len(folded) < 3 or folded in self.stop or not folded.isascii():
                kept.append(None)
                continue
            self.surface[folded][word] += 1
            kept.append(folded)
        terms = [w for w in kept if w]
        terms += [f"{a} {b}" for a, b in itertools.pairwise(kept) if a and b]
        return terms

    def _chinese(self, text: str) -> list[str]:
        kept: list[str | None] = []
        for word in chinese_words(text, self.vocabulary):
            useful = has_cjk(word) or (word.isalpha() and len(word) > 1)
            kept.append(word if useful and word not in self.stop else None)
        terms = [w for w in kept if w and len(w) > 1]
        terms += [f"{a}{b}" for a, b in itertools.pairwise(kept) if a and b]
        return terms

    def __call__(self, text: str) -> list[str]:
        return self._chinese(text) if self.language == "zh" else self._latin(text)

    def display(self, term: str) -> str:
        """A term as people write it (with its accents)."""
        return " ".join(
            self.surface[w].most_common(1)[0][0] if self.surface.get(w) else w
            for w in term.split(" ")
        )


def _theme_id(terms: Sequence[str], language: str, taken: set[str]) -> str:
    base = "_".join(fold(t).replace(" ", "_") for t in terms[:2])
    base = re.sub(r"[^a-z0-9_]+", "", base).strip("_")
    if not base or not THEME_ID.match(base):
        base = f"new_{language}_theme"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


def _discover_language(
    texts: list[str],
    language: str,
    *,
    max_themes: int,
    min_size: int,
    n_terms: int,
    n_examples: int,
    random_state: int,
    taken: set[str],
    chinese_vocabulary: frozenset[str] = frozenset(),
) -> list[DiscoveredTheme]:
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    words = _Words(language, chinese_vocabulary)
    vectorizer = TfidfVectorizer(
        analyzer=words, min_df=2, max_df=0.9, sublinear_tf=True, dtype=np.float32
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no term left after pruning
        return []
    # about sqrt(n / 2) topics for n comments (a common rule of thumb), at most max_themes
    k = min(max_themes, len(texts) // min_size, round((len(texts) / 2) ** 0.5), matrix.shape[1])
    if k < 1:
        return []
    model = NMF(n_components=k, init="nndsvda", random_state=random_state, max_iter=400)
    with np.errstate(invalid="ignore"):  # an exact fit makes a tiny negative residual
        weights = model.fit_transform(matrix)
    labels = _merge_similar(matrix, np.where(weights.max(axis=1) > 0, weights.argmax(axis=1), -1))
    vocabulary = vectorizer.get_feature_names_out()
    present = (matrix > 0).tocsc()
    found = []
    for cluster in np.unique(labels[labels >= 0]):
        members = np.flatnonzero(labels == cluster)
        if len(members) < min_size:
            continue
        terms = _top_terms(present, members, vocabulary, words, n_terms)
        centroid = np.asarray(matrix[members].mean(axis=0)).ravel()
        closeness = matrix[members] @ centroid
        order = members[np.argsort(-closeness, kind="stable")]
        examples: list[str] = []
        for row in order:
            if texts[row] not in examples:
                examples.append(texts[row])
            if len(examples) == n_examples:
                break
        found.append(
            DiscoveredTheme(
                id=_theme_id(terms, language, taken),
                language=language,
                label=" / ".join(terms[:3]),
                terms=terms,
                size=len(members),
                share=len(members) / len(texts),
                examples=tuple(examples),
            )
        )
    return found


def _merge_similar(matrix: Any, labels: np.ndarray, threshold: float = 0.3) -> np.ndarray:
    """Join clusters whose mean TF-IDF vectors point the same way (cosine above threshold)."""
    labels = labels.copy()
    while True:
        clusters = [c for c in np.unique(labels) if c >= 0]
        if len(clusters) < 2:
            return labels
        centroids = np.vstack([np.asarray(matrix[labels == c].mean(axis=0)) for c in clusters])
        norms = np.linalg.norm(centroids, axis=1, keepdims=True)
        unit = centroids / np.where(norms == 0, 1, norms)
        similarity = unit @ unit.T
        np.fill_diagonal(similarity, 0)
        i, j = np.unravel_index(similarity.argmax(), similarity.shape)
        if similarity[i, j] <= threshold:
            return labels
        labels[labels == clusters[j]] = clusters[i]


def _top_terms(
    present: Any, members: np.ndarray, vocabulary: np.ndarray, words: _Words, n_terms: int
) -> tuple[str, ...]:
    """Terms most of the cluster uses and the rest of the comments use less: share × lift."""
    n = present.shape[0]
    inside = np.asarray(present[members].sum(axis=0)).ravel() / len(members)
    total = np.asarray(present.sum(axis=0)).ravel()
    outside = (total - inside * len(members)) / max(n - len(members), 1)
    score = inside * np.log((inside + 0.01) / (outside + 0.01))
    top = [i for i in np.argsort(-score, kind="stable")[:n_terms] if score[i] > 0]
    return tuple(words.display(str(vocabulary[i])) for i in top)


def discover_themes(
    texts: Sequence[str],
    languages: Sequence[str],
    *,
    taxonomy: Taxonomy | None = None,
    max_themes: int = 8,
    min_size: int = 5,
    n_terms: int = 8,
    n_examples: int = 3,
    random_state: int = 0,
) -> list[DiscoveredTheme]:
    """Candidate new themes among the comments that ``taxonomy`` does not cover.

    Parameters
    ----------
    texts, languages
        The comments and the language of each (ISO 639-1; ``und`` texts are grouped together).
    taxonomy
        Comments with a theme of this taxonomy are left out; ``None`` to use every comment.
    max_themes
        At most this many themes per language.
    min_size
        Themes of fewer comments are dropped (and a language needs this many per theme).
    n_terms, n_examples
        How many top terms and example comments to return per theme.
    random_state
        Seed of the factorisation, for repeatable results.

    Returns
    -------
    list[DiscoveredTheme]
        Largest first. ``share`` is the theme's size over the uncovered comments of its language.
    """
    if len(texts) != len(languages):
        raise UsageError(f"discover_themes: {len(texts)} texts but {len(languages)} languages")
    if max_themes < 1 or min_size < 2:
        raise UsageError("discover_themes: max_themes must be >= 1 and min_size >= 2")
    tagger = KeywordThemeTagger(taxonomy) if taxonomy is not None else None
    groups: dict[str, list[str]] = defaultdict(list)
    for text, language in zip(texts, languages, strict=True):
        if not text or not text.strip():
            continue
        language = (language or "und").split("-")[0].lower()
        if tagger is not None and tagger.tag_one(text, language):
            continue
        groups[language].append(text)
    taken = set(taxonomy.theme_ids()) if taxonomy is not None else set()
    found: list[DiscoveredTheme] = []
    for language in sorted(groups):
        found += _discover_language(
            groups[language],
            language,
            max_themes=max_themes,
            min_size=min_size,
            n_terms=n_terms,
            n_examples=n_examples,
            random_state=random_state,
            taken=taken,
            chinese_vocabulary=tagger.chinese_vocabulary() if tagger is not None else frozenset(),
        )
    return sorted(found, key=lambda t: (-t.size, t.language, t.id))


def promote_theme(
    project_dir: Path,
    theme: DiscoveredTheme,
    *,
    theme_id: str | None = None,
    label: str | None = None,
    keywords: Sequence[str] | None = None,
    extend: bool = False,
    language: str | None = None,
) -> PromotedTheme:
    """Write a discovered theme into the project's ``themes/<language>.yaml``.

    The tagger uses it from the next :func:`~cxloop.understand.text.taxonomy.load_taxonomy` on.
    The file keeps its comments and layout; it is created when missing.

    Parameters
    ----------
    project_dir
        The project directory.
    theme
        The theme to promote (from :func:`discover_themes`).
    theme_id, label, keywords
        Override the discovered id, label (default: the top terms) and keywords (default: the
        theme's top terms).
    extend
        Add the keywords to an existing theme of the package defaults with the same id instead
        of creating a new theme.
    language
        Write it into this language's file instead of the theme's own language (required for
        a theme found among comments of undetermined language, ``und``).

    Raises
    ------
    UsageError
        When the id is malformed, or names an existing theme and ``extend`` is not set.
    ConfigError
        When the taxonomy file is invalid or already holds the id.
    """
    theme_id = theme_id or theme.id
    language = (language or theme.language).split("-")[0].lower()
    if language == UNDETERMINED or not re.fullmatch(r"[a-z]{2,3}", language):
        raise UsageError(
            f"theme {theme_id!r}: cannot write a taxonomy for language {language!r}; "
            "name the language whose themes file should get it (language=… / --language)"
        )
    if not THEME_ID.match(theme_id):
        raise UsageError(
            f"theme id {theme_id!r} must be lower-case letters, digits and underscores"
        )
    words = tuple(dict.fromkeys(k.strip() for k in (keywords or theme.terms) if k.strip()))
    if not words:
        raise UsageError(f"theme {theme_id!r}: no keywords to promote")
    existing = load_taxonomy(project_dir)
    known = {t.id for t in existing.themes(language)}
    if theme_id in known and not extend:
        raise UsageError(
            f"theme {theme_id!r} already exists in {language}: choose another id "
            "or extend it (extend=True / --extend)"
        )
    if extend and theme_id not in known:
        raise UsageError(f"theme {theme_id!r} does not exist in {language}: cannot extend it")
    body: dict[str, object] = {}
    if label or not extend:
        body["label"] = label or theme.label
    body["keywords"] = list(words)
    if extend:
        body["extend"] = True
    path = Path(project_dir) / "themes" / f"{language}.yaml"
    note = f"promoted from theme discovery ({theme.size} comments)"
    add_theme_to_file(path, language, theme_id, body, note=note)
    final_label = label or (existing.label(theme_id, language) if extend else theme.label)
    return PromotedTheme(
        path=path,
        theme_id=theme_id,
        language=language,
        label=final_label,
        keywords=words,
        extend=extend,
    )
