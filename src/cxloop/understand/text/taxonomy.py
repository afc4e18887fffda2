"""Theme taxonomies: which words and phrases say that a comment is about a theme, per language.

A taxonomy file is ``themes/<language>.yaml`` in a project; the package ships defaults for
English, Spanish and Chinese. Theme ids are shared across languages (``delivery`` is the same
theme in every file); labels, keywords and phrases are per language::

    language: en
    themes:
      delivery:
        label: Delivery
        keywords: [delivery, courier, parcel*]
        phrases: [arrived late, never arrived]
      loyalty_card:            # the short form: a list of keywords
        [loyalty card, points, member*]

A keyword or phrase matches whole words, ignoring case and accents (English, Spanish) or on
jieba's word boundaries (Chinese); a trailing ``*`` matches any word that starts with it
(``refund*`` matches *refunded*, *refunds*). A project's file extends the defaults: a theme with
a new id is added, a theme with a default's id replaces it, or adds to it with ``extend: true``;
``include_defaults: false`` at the top of a file drops that language's defaults.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from cxloop.domain.definitions import load_definition
from cxloop.errors import ConfigError

THEME_ID = re.compile(r"^[a-z][a-z0-9_]*$")
DEFAULT_LANGUAGES = ("en", "es", "zh")


def _check_id(theme_id: str) -> str:
    if not THEME_ID.match(theme_id):
        raise ValueError(
            f"theme id {theme_id!r} must be lower-case letters, digits and underscores"
        )
    return theme_id


ThemeId = Annotated[str, AfterValidator(_check_id)]


class ThemeTerms(BaseModel):
    """One theme in one language: its label and the words that signal it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str | None = None
    keywords: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    extend: bool = False

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, data: Any) -> Any:
        if isinstance(data, list | tuple):
            return {"keywords": data}
        return data

    @field_validator("keywords", "phrases")
    @classmethod
    def _terms(cls, terms: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = []
        for term in terms:
            text = " ".join(str(term).split())
            if not text or text == "*":
                raise ValueError(f"empty keyword or phrase {term!r}")
            if "*" in text[:-1]:
                raise ValueError(f"{term!r}: '*' is allowed only at the end of a term")
            cleaned.append(text)
        return tuple(cleaned)

    @model_validator(mode="after")
    def _not_empty(self) -> ThemeTerms:
        if not self.terms:
            raise ValueError("a theme needs at least one keyword or phrase")
        return self

    @property
    def terms(self) -> tuple[str, ...]:
        """Keywords and phrases together."""
        return self.keywords + self.phrases


class TaxonomyFile(BaseModel):
    """The contents of one ``themes/<language>.yaml`` file."""

    model_config = ConfigDict(extra="forbid")

    language: str = Field(pattern=r"^[a-z]{2,3}$")
    include_defaults: bool = True
    themes: dict[ThemeId, ThemeTerms] = Field(default_factory=dict)

    @field_validator("language")
    @classmethod
    def _a_language(cls, language: str) -> str:
        if language == "und":
            raise ValueError("'und' (undetermined) is not a language a taxonomy can be for")
        return language

    @field_validator("themes", mode="before")
    @classmethod
    def _no_empty(cls, value: Any) -> Any:
        return {} if value is None else value


class Theme(BaseModel):
    """A theme of the merged taxonomy in one language."""

    model_config = ConfigDict(frozen=True)

    id: str
    language: str
    label: str
    keywords: tuple[str, ...]
    phrases: tuple[str, ...]


class Taxonomy(BaseModel):
    """Themes per language, after the project's files were merged over the defaults.

    Examples
    --------
    >>> taxonomy = load_taxonomy(None)
    >>> "delivery" in taxonomy.theme_ids()
    True
    >>> taxonomy.label("delivery", "es")
    'Entrega'
    """

    model_config = ConfigDict(frozen=True)

    languages: dict[str, tuple[Theme, ...]]

    def themes(self, language: str) -> tuple[Theme, ...]:
        """The themes of one language (empty when it has none)."""
        return self.languages.get(language, ())

    def theme_ids(self) -> list[str]:
        """Every theme id, in any language, sorted."""
        return sorted({t.id for themes in self.languages.values() for t in themes})

    def label(self, theme_id: str, language: str = "en") -> str:
        """The label of a theme in ``language``, else in English, else any, else its id."""
        for lang in (language, "en", *self.languages):
            for theme in self.themes(lang):
                if theme.id == theme_id:
                    return theme.label
        return theme_id


def _default_label(theme_id: str) -> str:
    return theme_id.replace("_", " ").capitalize()


def read_taxonomy_file(path: Path) -> TaxonomyFile:
    """Load and validate one taxonomy file; errors name the file, line and field."""
    taxonomy_file = load_definition(path, TaxonomyFile)
    if path.stem != taxonomy_file.language:
        raise ConfigError(
            f"{path}:1: language: {taxonomy_file.language!r} does not match the file name "
            f"(expected {path.stem!r})"
        )
    return taxonomy_file


def default_taxonomy_files() -> dict[str, TaxonomyFile]:
    """The taxonomy files shipped in the package, by language."""
    folder = resources.files("cxloop.understand.text").joinpath("themes")
    out = {}
    for language in DEFAULT_LANGUAGES:
        with resources.as_file(folder.joinpath(f"{language}.yaml")) as path:
            out[language] = read_taxonomy_file(Path(path))
    return out


def _merge(base: dict[str, ThemeTerms], override: TaxonomyFile) -> dict[str, ThemeTerms]:
    merged = dict(base) if override.include_defaults else {}
    for theme_id, terms in override.themes.items():
        old = merged.get(theme_id)
        if terms.extend and old is not None:
            terms = ThemeTerms(
                label=terms.label or old.label,
                keywords=old.keywords + terms.keywords,
                phrases=old.phrases + terms.phrases,
            )
        merged[theme_id] = terms
    return merged


def build_taxonomy(files: list[TaxonomyFile], *, defaults: bool = True) -> Taxonomy:
    """Merge taxonomy files (later ones win) over the package defaults."""
    per_language: dict[str, dict[str, ThemeTerms]] = {}
    if defaults:
        for language, default in default_taxonomy_files().items():
            per_language[language] = dict(default.themes)
    for taxonomy_file in files:
        base = per_language.get(taxonomy_file.language, {})
        per_language[taxonomy_file.language] = _merge(base, taxonomy_file)
    languages = {
        language: tuple(
            Theme(
                id=theme_id,
                language=language,
                label=terms.label or _default_label(theme_id),
                keywords=terms.keywords,
                phrases=terms.phrases,
            )
            for theme_id, terms in themes.items()
        )
        for language, themes in per_language.items()
    }
    return Taxonomy(languages=languages)


def load_taxonomy(project_dir: Path | None, *, defaults: bool = True) -> Taxonomy:
    """The taxonomy a project uses: the package defaults merged with its ``themes/*.yaml``.

    Parameters
    ----------
    project_dir
        The project directory; ``None`` for the package defaults alone.
    defaults
        ``False`` to ignore the package defaults (only the project's files count).

    Raises
    ------
    ConfigError
        When a file is invalid; the message names the file, the line and the field.
    """
    files = []
    if project_dir is not None:
        folder = Path(project_dir) / "themes"
        if folder.is_dir():
            files = [read_taxonomy_file(p) for p in sorted(folder.glob("*.yaml"))]
    return build_taxonomy(files, defaults=defaults)
