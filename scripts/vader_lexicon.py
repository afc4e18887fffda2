"""Write VADER's lexicon (MIT licence) as the compact ``lexicon-en.tsv`` that cxloop ships.

Used by ``train_text_models.py``; needs ``vaderSentiment`` (the ``bench`` extra), read from the
installed package, so the file is the same wherever it is built from the same version. Each
line is ``token<TAB>valence`` (VADER's mean rating, -4 to 4); a single-character emoji gets the
sum of the valences of the words of its VADER description ("smiling face" → smiling).
"""

from __future__ import annotations

import shutil
from importlib import metadata
from pathlib import Path

VADER_VERSION = "3.3.2"


def vader_lexicon() -> tuple[dict[str, float], dict[str, float]]:
    """(words and emoticons, single emoji characters) with their valences."""
    import vaderSentiment

    found = metadata.version("vaderSentiment")
    if found != VADER_VERSION:
        raise SystemExit(f"vaderSentiment {VADER_VERSION} is needed (found {found})")
    folder = Path(vaderSentiment.__file__).parent
    words: dict[str, float] = {}
    for line in (folder / "vader_lexicon.txt").read_text(encoding="utf-8").split("\n"):
        if line.strip():
            token, value = line.split("\t")[:2]
            words[token.strip()] = float(value)
    emoji: dict[str, float] = {}
    for line in (folder / "emoji_utf8_lexicon.txt").read_text(encoding="utf-8").split("\n"):
        character, _, description = line.partition("\t")
        if len(character) == 1 and description:
            valence = sum(words.get(word, 0.0) for word in description.lower().split())
            if valence:
                emoji[character] = round(valence, 3)
    return words, emoji


def write_vader_lexicon(out: Path) -> Path:
    """Write ``out/lexicon-en.tsv`` and VADER's licence beside it; return the lexicon's path."""
    import vaderSentiment

    words, emoji = vader_lexicon()
    lines = [
        f"# VADER sentiment lexicon {VADER_VERSION} (C.J. Hutto, MIT licence: "
        "LICENSE-vader.txt); written by scripts/vader_lexicon.py"
    ]
    lines += [f"{token}\t{value:g}" for token, value in sorted(words.items())]
    lines += [f"{character}\t{value:g}" for character, value in sorted(emoji.items())]
    path = out / "lexicon-en.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    licence = Path(vaderSentiment.__file__).parent.parent / (
        f"vaderSentiment-{VADER_VERSION}.dist-info/LICENSE.txt"
    )
    shutil.copyfile(licence, out / "LICENSE-vader.txt")
    return path
