"""How well a theme tagger finds the themes people or a generator assigned: per-theme precision,
recall and F1 over multi-label predictions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict


class ThemeScore(BaseModel):
    """Scores of one theme (or of all themes pooled: ``theme == "micro"``)."""

    model_config = ConfigDict(frozen=True)

    theme: str
    support: int
    predicted: int
    true_positives: int
    precision: float
    recall: float
    f1: float


class ThemeReport(BaseModel):
    """Per-theme scores, their pooled (micro) scores and the mean of the per-theme F1 (macro)."""

    model_config = ConfigDict(frozen=True)

    n_texts: int
    themes: tuple[ThemeScore, ...]
    micro: ThemeScore
    macro_f1: float

    def score(self, theme: str) -> ThemeScore:
        """The scores of one theme."""
        for score in self.themes:
            if score.theme == theme:
                return score
        raise KeyError(theme)


def _score(theme: str, support: int, predicted: int, hits: int) -> ThemeScore:
    precision = hits / predicted if predicted else 0.0
    recall = hits / support if support else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ThemeScore(
        theme=theme,
        support=support,
        predicted=predicted,
        true_positives=hits,
        precision=precision,
        recall=recall,
        f1=f1,
    )


def score_themes(
    truth: Sequence[Iterable[str]],
    predicted: Sequence[Iterable[str]],
    themes: Sequence[str] | None = None,
) -> ThemeReport:
    """Per-theme precision, recall and F1 of ``predicted`` against ``truth``, text by text.

    Parameters
    ----------
    truth, predicted
        The themes of each text (any iterable of theme ids; empty for none), aligned.
    themes
        The themes to score; by default every theme in ``truth``. Predictions of other themes
        are ignored, so a tagger with extra themes is not penalised for them.

    Examples
    --------
    >>> report = score_themes([{"delivery"}, {"billing"}], [("delivery", "price"), ()])
    >>> report.score("delivery").f1, report.score("billing").recall
    (1.0, 0.0)
    """
    if len(truth) != len(predicted):
        raise ValueError(f"{len(truth)} true theme sets but {len(predicted)} predicted")
    true_sets = [set(t) for t in truth]
    predicted_sets = [set(p) for p in predicted]
    names = list(themes) if themes is not None else sorted(set().union(*true_sets))
    scores = []
    for theme in names:
        support = sum(theme in t for t in true_sets)
        guessed = sum(theme in p for p in predicted_sets)
        hits = sum(
            theme in t and theme in p for t, p in zip(true_sets, predicted_sets, strict=True)
        )
        scores.append(_score(theme, support, guessed, hits))
    micro = _score(
        "micro",
        sum(s.support for s in scores),
        sum(s.predicted for s in scores),
        sum(s.true_positives for s in scores),
    )
    macro = sum(s.f1 for s in scores) / len(scores) if scores else 0.0
    return ThemeReport(n_texts=len(truth), themes=tuple(scores), micro=micro, macro_f1=macro)
