"""The text analyser: five parts composed into one pass over a batch of texts.

:class:`TextAnalyser` detects each text's language, then asks the sentiment, intent, theme and
redaction parts about the whole batch at once (each part is vectorised over a batch, which is what
makes the default analyser fast). Its :attr:`~TextAnalyser.name` says which parts, models and
taxonomy produced an insight; it is stored with every row of ``feedback_insights`` so that a
change of model or taxonomy can be detected and the feedback analysed again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cxloop import __version__
from cxloop.errors import ConfigError
from cxloop.understand.text.parts import (
    UNDETERMINED,
    IntentPredictor,
    LanguageDetector,
    Redactor,
    SentimentPredictor,
    TextInsight,
    ThemeTagger,
)

if TYPE_CHECKING:
    from cxloop.config import Settings

DEFAULT_BATCH_SIZE = 2_000


@dataclass
class TextAnalyser:
    """Language, sentiment, intent, themes and a redacted copy of every text.

    Parameters
    ----------
    languages
        Detects the language of each text.
    sentiment
        Predicts negative / neutral / positive with a score.
    intent
        Predicts need / issue / gap / praise / question (or none).
    themes
        Tags texts with the themes of a taxonomy.
    redactor
        Replaces personal data (e-mails, phones, card numbers, names).
    name
        Names the parts and their versions; stored as ``feedback_insights.analyser``. Two
        analysers with the same name must give the same insights.
    batch_size
        Texts handed to each part at once.

    Examples
    --------
    >>> analyser = TextAnalyser(detector, sentiment, intent, tagger, redactor, name="mine/1")
    >>> [insight.sentiment.label for insight in analyser.analyse(["Great service!"])]
    ['positive']
    """

    languages: LanguageDetector
    sentiment: SentimentPredictor
    intent: IntentPredictor
    themes: ThemeTagger
    redactor: Redactor
    name: str
    batch_size: int = DEFAULT_BATCH_SIZE

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {self.batch_size}")
        if not self.name.strip():
            raise ValueError("an analyser needs a name (it is stored with every insight)")

    def analyse(
        self, texts: Sequence[str], hints: Sequence[str | None] | None = None
    ) -> list[TextInsight]:
        """Analyse ``texts``, one insight per text in the same order.

        Parameters
        ----------
        texts
            The texts (empty strings are allowed: language ``und``, neutral, no themes).
        hints
            Optional language each text is said to be in (e.g. the ``language`` column of
            ``feedback``, ``zh-CN`` read as ``zh``), used only where detection returns ``und``.

        Returns
        -------
        list[TextInsight]
        """
        if hints is not None and len(hints) != len(texts):
            raise ValueError(f"{len(hints)} language hints for {len(texts)} texts")
        insights: list[TextInsight] = []
        for start, chunk in _chunks(texts, self.batch_size):
            chunk_hints = None if hints is None else hints[start : start + len(chunk)]
            insights.extend(self._analyse_batch(chunk, chunk_hints))
        return insights

    def _analyse_batch(
        self, texts: Sequence[str], hints: Sequence[str | None] | None
    ) -> list[TextInsight]:
        detected = self.languages.detect(texts)
        if hints is not None:
            detected = [
                _primary_subtag(hint) if found == UNDETERMINED else found
                for found, hint in zip(detected, hints, strict=True)
            ]
        sentiments = self.sentiment.predict(texts, detected)
        intents = self.intent.predict(texts, detected)
        themes = self.themes.tag(texts, detected)
        redacted = self.redactor.redact(texts, detected)
        self._check_lengths(
            len(texts),
            languages=detected,
            sentiment=sentiments,
            intent=intents,
            themes=themes,
            redactor=redacted,
        )
        return [
            TextInsight(
                language=language,
                sentiment=sentiment,
                themes=tuple(tags),
                intent=intent,
                redacted_text=clean,
            )
            for language, sentiment, intent, tags, clean in zip(
                detected, sentiments, intents, themes, redacted, strict=True
            )
        ]

    def _check_lengths(self, expected: int, **answers: Sequence[object]) -> None:
        for part, answer in answers.items():
            if len(answer) != expected:
                raise ValueError(
                    f"the {part} part of analyser {self.name!r} returned {len(answer)} "
                    f"answers for {expected} texts"
                )


def _primary_subtag(tag: str | None) -> str:
    """``zh-CN`` → ``zh``, ``ES`` → ``es``; empty or missing → ``und``."""
    primary = (tag or "").replace("_", "-").split("-")[0].strip().lower()
    return primary or UNDETERMINED


def _chunks(texts: Sequence[str], size: int) -> Iterator[tuple[int, Sequence[str]]]:
    for start in range(0, len(texts), size):
        yield start, texts[start : start + size]


TEXT_BACKENDS = ("shipped", "transformers")


class MissingTextPartError(ConfigError):
    """A part of the default analyser is not installed with this copy of cxloop."""


def default_analyser(
    settings: Settings,
    project_dir: Path | None = None,
    *,
    backend: str | None = None,
    model: Path | None = None,
) -> TextAnalyser:
    """The analyser ``cxloop text analyze`` uses: the parts that ship with cxloop.

    Language by lingua, sentiment and intent by the models trained by this project, themes by
    keyword matching against the project's taxonomy (``themes/*.yaml`` over the shipped
    defaults), redaction by patterns. With the ``transformers`` backend, sentiment comes from a
    local Hugging Face model instead (batched, on a GPU where there is one).

    Parameters
    ----------
    settings
        The project's settings (``text_backend``, ``text_model``, ``text_batch_size``).
    project_dir
        Where ``themes/*.yaml`` lives; default ``settings.project``.
    backend, model
        Override ``text_backend`` and ``text_model`` (the CLI's ``--backend`` and ``--model``).

    Raises
    ------
    ConfigError
        An unknown backend, the transformers backend without a model directory, or a part
        that cannot be loaded.
    """
    chosen = backend or settings.text_backend
    if chosen not in TEXT_BACKENDS:
        raise ConfigError(
            f"text backend {chosen!r} is not one of {', '.join(TEXT_BACKENDS)} "
            "(setting 'text_backend' or --backend)"
        )
    model_path = model if model is not None else settings.text_model
    if chosen == "transformers" and model_path is None:
        raise ConfigError(
            "the transformers backend needs a local model directory "
            "(setting 'text_model' or --model PATH)"
        )
    if chosen == "transformers" and not Path(str(model_path)).is_dir():
        raise ConfigError(
            f"{model_path}: no such model directory (setting 'text_model' or --model)"
        )
    try:
        from cxloop.understand.text.intent import ShippedIntentModel
        from cxloop.understand.text.language import LinguaLanguageDetector
        from cxloop.understand.text.redaction import PatternRedactor
        from cxloop.understand.text.sentiment import ShippedSentimentModel
        from cxloop.understand.text.taxonomy import load_taxonomy
        from cxloop.understand.text.themes import KeywordThemeTagger
    except ModuleNotFoundError as exc:
        raise MissingTextPartError(f"a shipped text analysis part is missing: {exc}") from exc

    taxonomy = load_taxonomy(project_dir if project_dir is not None else settings.project)
    sentiment: SentimentPredictor
    if chosen == "transformers":
        from cxloop.understand.text.transformer_backend import TransformerSentiment

        folder = Path(str(model_path))
        sentiment = TransformerSentiment(folder)
        sentiment_name = f"transformers:{folder.resolve().name}-{model_fingerprint(folder)}"
    else:
        sentiment = ShippedSentimentModel.load()
        sentiment_name = _part_name(sentiment)
    intent = ShippedIntentModel.load()
    parts = [
        f"language={_part_name(detector := LinguaLanguageDetector())}",
        f"sentiment={sentiment_name}",
        f"intent={_part_name(intent)}",
        f"themes={taxonomy_digest(taxonomy.model_dump_json())}",
        f"redaction={_part_name(redactor := PatternRedactor())}",
    ]
    return TextAnalyser(
        languages=detector,
        sentiment=sentiment,
        intent=intent,
        themes=KeywordThemeTagger(taxonomy),
        redactor=redactor,
        name=f"cxloop-{__version__} " + " ".join(parts),
        batch_size=settings.text_batch_size,
    )


def _part_name(part: object) -> str:
    """A part's class name and, where it has one, its version."""
    version = getattr(part, "version", None)
    kind = type(part).__name__
    return f"{kind}-{version}" if version else kind


def model_fingerprint(folder: Path) -> str:
    """A short fingerprint of a model folder's files (names, sizes, modification times), so
    that a model saved again into the same folder gives a new analyser name."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(folder)}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()[:10]


def taxonomy_digest(taxonomy_json: str) -> str:
    """A short fingerprint of a taxonomy: a changed keyword gives a new analyser name."""
    return "taxonomy-" + hashlib.sha256(taxonomy_json.encode("utf-8")).hexdigest()[:12]
