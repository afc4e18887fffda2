"""Text analysis speed on one core: texts per second of the default analyser's parts.

Two corpora: comments written by the demo company's generator (45 % English, 30 % Spanish, 25 %
Chinese, as in the demo) and public texts (the training and validation splits of XLM-T English
and Spanish tweets and ChnSentiCorp reviews: longer, messier texts; never a test split). The
process is pinned to one CPU (``sched_setaffinity``), so threads cannot help. Each configuration
is timed on the same texts, in the same run, after a warm-up, in ``--repeat`` rounds that run
every configuration once (the median is kept); rates are texts per CPU-second of the process:

- **lingua alone** (baseline): lingua-language-detector for en/es/zh, one text at a time;
- **VADER alone** (baseline, where ``vaderSentiment`` is installed): English texts only;
- **each part alone**: the shipped ``LinguaLanguageDetector``, and the sentiment, theme, intent
  and redaction parts given the detected languages, each on the whole batch;
- **language + sentiment + themes**: the target of issue 5 (>= 2,000 texts/s);
- **full analyser**: ``default_analyser()`` with intent and redaction too, as ``cxloop text
  analyze`` runs it (without the warehouse reads and writes).

    python -m benchmarks.text_speed [--quick] [--texts N] [--repeat N] [--write-docs]
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- text-speed:begin -->", "<!-- text-speed:end -->"
TARGET = 2_000.0
CORE = "language + sentiment + themes"


def _shared_data() -> Path | None:
    for folder in ROOT.parents:
        if (folder / "shared" / "data" / "sentiment").is_dir():
            return folder / "shared" / "data" / "sentiment"
    return None


def demo_comments(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """``n`` comments from the demo generator's phrasebooks, and their languages."""
    from cxloop.demo.comments import THEMES, CommentWriter, Slots

    rnd = random.Random(seed)
    writer = CommentWriter(rnd)
    staff = {"en": "Emma", "es": "Lucía", "zh": "王芳"}
    city = {"en": "Leeds", "es": "Sevilla", "zh": "成都"}
    texts, languages = [], []
    for _ in range(n):
        language = rnd.choices(("en", "es", "zh"), weights=(45, 30, 25))[0]
        mood = rnd.choice(("positive", "negative", "middle", "question"))
        theme, other = rnd.sample(THEMES, 2)
        slots = Slots(
            days=rnd.randint(1, 14),
            amount=f"{rnd.uniform(5, 400):.2f}",
            staff=staff[language],
            minutes=rnd.randint(5, 90),
            city=city[language],
        )
        texts.append(writer.write(language, mood, theme, other, slots).text)
        languages.append(language)
    return texts, languages


def public_texts(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """``n`` texts drawn from the training and validation splits in ../shared/data/sentiment."""
    data = _shared_data()
    if data is None:
        return [], []
    pools: list[tuple[str, list[str]]] = []
    for language, folder in (("en", "xlmt_umsab_english"), ("es", "xlmt_umsab_spanish")):
        lines = [
            line
            for split in ("train", "val")
            if (path := data / language / folder / f"{split}_text.txt").is_file()
            for line in path.read_text(encoding="utf-8").splitlines()
        ]
        if lines:
            pools.append((language, lines))
    chinese = [
        row.split("\t", 1)[1]
        for split in ("train", "dev")
        if (path := data / "zh" / f"chnsenticorp_{split}.tsv").is_file()
        for row in path.read_text(encoding="utf-8").splitlines()[1:]
        if "\t" in row
    ]
    if chinese:
        pools.append(("zh", chinese))
    rnd = random.Random(seed)
    texts, languages = [], []
    while pools and len(texts) < n:
        language, pool = rnd.choice(pools)
        texts.append(rnd.choice(pool))
        languages.append(language)
    return texts, languages


def _rates(configs: dict[str, tuple[Callable[[], Any], int]], repeat: int) -> dict[str, float]:
    """Texts per CPU-second of each configuration: ``repeat`` rounds, each running every
    configuration once, so that a change of load touches them all alike; median per config.

    CPU time of the process (pinned to one core) rather than wall time: another engineer's job
    on the same core then slows the wall clock, not the figure.
    """
    for func, _ in configs.values():
        func()  # warm-up: loads, caches, jieba's dictionary
    times: dict[str, list[float]] = {name: [] for name in configs}
    for _ in range(repeat):
        for name, (func, _) in configs.items():
            started = time.process_time()
            func()
            times[name].append(time.process_time() - started)
    return {name: n / statistics.median(times[name]) for name, (_, n) in configs.items()}


def measure(texts: Sequence[str], languages: Sequence[str], repeat: int) -> dict[str, float]:
    """Texts per second of each configuration on ``texts``."""
    from cxloop.config import Settings
    from cxloop.understand.text.analyser import default_analyser

    with tempfile.TemporaryDirectory() as project:  # the shipped taxonomy, no project's own
        analyser = default_analyser(Settings.load(project=project))
    n = len(texts)
    configs: dict[str, tuple[Callable[[], Any], int]] = {}
    lingua = _lingua()
    if lingua is not None:
        configs["lingua alone (baseline)"] = (
            lambda: [lingua.detect_language_of(t) for t in texts],
            n,
        )
    english = [t for t, lang in zip(texts, languages, strict=True) if lang == "en"]
    vader = _vader()
    if vader is not None and english:
        configs["VADER alone, English texts (baseline)"] = (
            lambda: [vader.polarity_scores(t) for t in english],
            len(english),
        )
    found = analyser.languages.detect(texts)
    configs |= {
        "language": (lambda: analyser.languages.detect(texts), n),
        "sentiment (languages given)": (lambda: analyser.sentiment.predict(texts, found), n),
        "themes (languages given)": (lambda: analyser.themes.tag(texts, found), n),
        "intent (languages given)": (lambda: analyser.intent.predict(texts, found), n),
        "redaction (languages given)": (lambda: analyser.redactor.redact(texts, found), n),
    }

    def core() -> None:
        detected = analyser.languages.detect(texts)
        analyser.sentiment.predict(texts, detected)
        analyser.themes.tag(texts, detected)

    configs[CORE] = (core, n)
    configs["full analyser (+ intent, redaction)"] = (lambda: analyser.analyse(texts), n)
    return _rates(configs, repeat)


def _lingua() -> Any:
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        return None
    chosen = (Language.ENGLISH, Language.SPANISH, Language.CHINESE)
    return LanguageDetectorBuilder.from_languages(*chosen).build()


def _vader() -> Any:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    return SentimentIntensityAnalyzer()


def _pin_one_core() -> tuple[int, set[int]]:
    allowed = set(os.sched_getaffinity(0))
    cpu = max(allowed)
    os.sched_setaffinity(0, {cpu})
    return cpu, allowed


def to_markdown(results: dict[str, dict[str, float]], sizes: dict[str, int], command: str) -> str:
    load = os.getloadavg()[0]
    lines = [
        f"Measured {date.today():%Y-%m-%d} on {platform.machine()}, one core of "
        f"{os.cpu_count()}, Python {platform.python_version()}, load {load:.1f} at the end, "
        f"with `{command}`.",
        "",
        "| configuration | "
        + " | ".join(f"{name} ({sizes[name]:,} texts)" for name in results)
        + " | against the target of 2,000/s |",
        "|---|" + "---:|" * (len(results) + 1),
    ]
    configs = list(next(iter(results.values())))
    for config in configs:
        cells = [f"{results[c].get(config, 0):,.0f}/s" for c in results]
        verdict = ""
        if config == CORE:
            verdict = ", ".join(
                f"{c}: {'met' if r[CORE] >= TARGET else 'not met'} "
                f"({math.floor(r[CORE] / TARGET * 100) / 100:.2f}×)"
                for c, r in results.items()
            )
        lines.append(f"| {config} | " + " | ".join(cells) + f" | {verdict} |")
    return "\n".join(lines)


def update_docs(markdown: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOCS.write_text(f"{head}{BEGIN}\n{markdown}\n{END}{tail}", encoding="utf-8")


def main(
    quick: bool = False, write_docs: bool = False, n: int | None = None, repeat: int = 3
) -> dict[str, dict[str, float]]:
    n_given = n is not None
    n = n or (2_000 if quick else 20_000)
    corpora = {"demo comments": demo_comments(n), "public texts": public_texts(n)}
    corpora = {name: texts for name, texts in corpora.items() if texts[0]}
    cpu, allowed = _pin_one_core()
    print(f"text analysis speed on CPU {cpu} only, {n:,} texts per corpus")
    try:
        results = {name: measure(t, langs, repeat) for name, (t, langs) in corpora.items()}
    finally:
        os.sched_setaffinity(0, allowed)
    sizes = {name: len(texts) for name, (texts, _) in corpora.items()}
    flags = (" --quick" if quick else "") + (f" --texts {n}" if n_given else "")
    markdown = to_markdown(results, sizes, f"python -m benchmarks.text_speed{flags}")
    print(markdown)
    if write_docs:
        update_docs(markdown)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2,000 texts per corpus.")
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--texts", type=int, help="Texts per corpus (default 20,000).")
    parser.add_argument("--repeat", type=int, default=3)
    a = parser.parse_args()
    main(quick=a.quick, write_docs=a.write_docs, n=a.texts, repeat=a.repeat)
