"""Compare settings of a per-language sentiment model the way docs/text-analytics.md does.

For each setting ``LEXICON:DEMO_WEIGHT[:LEXICON_SCALE][:OPTION=VALUE...]`` (``none`` for no
lexicon; options ``C=4``, ``char=1-4``, ``word=1-2``, ``min_df=2``, the shipped values), prints
the macro-F1 on XLM-T val (fitted on train and the demo comments) and the five-fold
cross-validated macro-F1 over XLM-T train + val, with the folds the training script uses for the
neutral offset (the same for every setting), for each offset tried, and with per-class offsets
(the neutral one, or the neutral and positive ones) chosen on four folds of the out-of-fold
predictions and scored on the fifth (``cv_nested_offsets``). The first setting is the baseline: the
others get a paired bootstrap of their cross-validated difference to it (1,000 resamples of the
out-of-fold predictions at offset 0), which is the noise the comparison has to beat. Never
reads a test split. From the repository root::

    python scripts/compare_sentiment_settings.py es none:0.1 lexicon-es:0.1
    python scripts/compare_sentiment_settings.py es none:0.1 none:0.1:1:C=1:char=1-5
"""

from __future__ import annotations

import os

for _threads in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")

import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import train_text_models as training  # noqa: E402
from nb_head import nested_class_offsets  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402

from cxloop.understand.text.linear_model import FeatureSpec  # noqa: E402


def paired_bootstrap(labels: np.ndarray, base: np.ndarray, other: np.ndarray) -> dict[str, float]:
    """Macro-F1 of ``other`` less that of ``base`` (predicted classes), with its spread."""
    rng = np.random.default_rng(training.SEED)

    def diff(rows: np.ndarray) -> float:
        truth = labels[rows]
        return float(
            f1_score(truth, other[rows], average="macro")
            - f1_score(truth, base[rows], average="macro")
        )

    draws = np.array([diff(rng.integers(0, len(labels), len(labels))) for _ in range(1000)])
    return {
        "difference": round(diff(np.arange(len(labels))), 4),
        "bootstrap_sd": round(float(draws.std()), 4),
        "p_not_better": round(float(np.mean(draws <= 0)), 3),
    }


def parse_setting(setting: str) -> tuple[FeatureSpec, float, float]:
    """(feature spec, demo weight, C) of ``LEXICON:DEMO_WEIGHT[:SCALE][:OPTION=VALUE...]``."""
    lexicon, weight, *rest = setting.split(":")
    scale = rest.pop(0) if rest and "=" not in rest[0] else "1"
    options = dict(option.split("=", 1) for option in rest)
    unknown = set(options) - {"C", "char", "word", "min_df"}
    if unknown:
        sys.exit(f"{setting}: unknown option(s) {', '.join(sorted(unknown))}")

    def span(name: str, default: tuple[int, int]) -> tuple[int, int]:
        if name not in options:
            return default
        low, high = options[name].split("-")
        return int(low), int(high)

    spec = FeatureSpec(
        word_ngrams=span("word", (1, 2)),
        char_ngrams=span("char", (1, 4)),
        min_df=int(options.get("min_df", 2)),
        lexicon=None if lexicon == "none" else lexicon,
        lexicon_scale=float(scale),
    )
    return spec, float(weight), float(options.get("C", 4.0))


def compare(language: str, settings: list[str]) -> None:
    data = training._default_data(Path(__file__).resolve().parents[1])
    demo, _ = training.demo_comments(training.SEED, training.DEMO_PER_LANGUAGE)
    captured: dict[str, np.ndarray] = {}
    pick_offset = training.best_neutral_offset

    def keep(proba: np.ndarray, labels: np.ndarray, classes: tuple[str, ...]):  # type: ignore[no-untyped-def]
        captured["proba"], captured["labels"] = proba, labels
        return pick_offset(proba, labels, classes)

    training.best_neutral_offset = keep  # the out-of-fold predictions, as the script makes them
    baseline: np.ndarray | None = None
    for setting in settings:
        spec, weight, c = parse_setting(setting)
        weights = {"demo": weight}
        fit, held = training.Corpus.empty(), training.Corpus.empty()
        fit.add(*training.xlmt(data, language, "train"), language, "xlmt_train")
        held.add(*training.xlmt(data, language, "val"), language, "xlmt_val")
        if weight:
            fit.extend(demo.only(language))
        model = training.train(fit, training.LABELS, spec, c, None, weights, True)
        val = training.scores(model, held)["xlmt_val"]["macro_f1"]
        everything = training.Corpus.empty()
        everything.extend(fit)
        everything.extend(held)
        _, by_offset = training._neutral_offset(everything, training.LABELS, spec, c, weights)
        predicted = captured["proba"].argmax(axis=1)
        nested = {
            "+".join(shifted): round(
                nested_class_offsets(
                    captured["proba"], captured["labels"], training.LABELS, shifted, training.SEED
                ),
                4,
            )
            for shifted in (("neutral",), ("neutral", "positive"))
        }
        row: dict[str, object] = {
            "setting": setting,
            "val": val,
            "cv_by_offset": by_offset,
            "cv_nested_offsets": nested,
        }
        if baseline is None:
            baseline = predicted
        else:
            row["cv_against_first"] = paired_bootstrap(captured["labels"], baseline, predicted)
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("en", "es"):
        sys.exit("usage: compare_sentiment_settings.py en|es SETTING [SETTING ...]")
    compare(sys.argv[1], sys.argv[2:])
