"""Personal names, made comparable: folded (lower case, no accents, one space), transliterated
(Chinese characters → pinyin) and split into parts when a source keeps only a full name.

Folding keeps the script: "José  García" → "jose garcia", "王秀英" stays "王秀英". The *Latin*
form also transliterates, so 王秀英, "Wang Xiuying" and "Xiuying WANG" share the tokens
``wang`` and ``xiuying``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from cxloop.unify.nicknames import CANONICAL, FULL_FORMS
from cxloop.unify.pinyin import has_han, is_han, split_han_name, to_pinyin

_SEPARATORS = re.compile(r"[\s.,;:'\"`´’‘“”()\[\]{}<>/\\|_\-–—·•・]+")
_NOT_NAME = re.compile(r"[^\w\s]")
#: words that start a family name but are not the family name itself ("de la Fuente")
PARTICLES = frozenset(
    {"de", "del", "la", "las", "los", "da", "das", "do", "dos", "di", "du", "van", "von", "der",
     "den", "ter", "le", "y", "e", "mc", "st"}
)  # fmt: skip


def fold(text: str | None) -> str | None:
    """Lower case, accents removed, punctuation to spaces, spaces collapsed; ``None`` if empty.

    Chinese characters are kept (use :func:`latin` for pinyin).

    Examples
    --------
    >>> fold("  José-María  GARCÍA ")
    'jose maria garcia'
    >>> fold("王 秀英")
    '王秀英'
    """
    if text is None:
        return None
    text = str(text)
    if text.isascii():  # most names: no compatibility forms, no accents, plain lower case
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKC", text).casefold()
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = _SEPARATORS.sub(" ", text)
    text = _NOT_NAME.sub("", text)
    text = " ".join(text.split())
    if has_han(text):  # Chinese is written without spaces between characters
        text = _join_han(text)
    return text or None


def _join_han(text: str) -> str:
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch == " " and 0 < i < len(text) - 1 and is_han(text[i - 1]) and is_han(text[i + 1]):
            continue
        out.append(ch)
    return "".join(out)


def latin(text: str | None) -> str | None:
    """:func:`fold`, then Chinese characters as pinyin (one word per name part).

    Examples
    --------
    >>> latin("秀英"), latin("Xiu-Ying"), latin("Müller")
    ('xiuying', 'xiu ying', 'muller')
    """
    folded = fold(text)
    if folded is None:
        return None
    return to_pinyin(folded) if has_han(folded) else folded


@dataclass(frozen=True)
class NameParts:
    """One person's name in the forms that comparisons use (any may be ``None``)."""

    first: str | None  # folded, original script
    last: str | None
    first_latin: str | None  # transliterated
    last_latin: str | None

    @property
    def first_token(self) -> str | None:
        """The first given name: "jose" of "jose luis"."""
        return self.first_latin.split()[0] if self.first_latin else None

    @property
    def last_token(self) -> str | None:
        """The first family name, particles skipped: "fuente" of "de la fuente"."""
        if not self.last_latin:
            return None
        words = self.last_latin.split()
        return next((w for w in words if w not in PARTICLES), words[0])

    @property
    def first_canonical(self) -> str | None:
        """The given name's full form: "bob" → "robert", "maite" → "maria teresa"."""
        if not self.first_latin:
            return None
        if self.first_latin in FULL_FORMS or self.first_latin in CANONICAL:
            return CANONICAL.get(self.first_latin, self.first_latin)
        token = self.first_token or ""
        return CANONICAL.get(token, token)

    @property
    def key(self) -> str | None:
        """Every name word, transliterated and sorted: the same for "Wang Xiuying",
        "Xiuying Wang" and 王秀英."""
        words = f"{self.first_latin or ''} {self.last_latin or ''}".split()
        return " ".join(sorted(words)) or None

    @property
    def full(self) -> str | None:
        """Folded full name in the original script, given name first."""
        if self.first and self.last and has_han(self.first + self.last):
            return self.last + self.first
        return " ".join(p for p in (self.first, self.last) if p) or None


def name_parts(first: str | None, last: str | None, full: str | None) -> NameParts:
    """The parts of a name given as first/last name, or only as a full ``name``.

    A full name in Chinese characters is split family name first (with compound family names
    such as 欧阳); a full name in Latin script given name first (see :func:`split_latin_name`).

    Examples
    --------
    >>> name_parts(None, None, "Ana Hernández Martínez").last
    'hernandez martinez'
    >>> name_parts(None, None, "王秀英").first_latin
    'xiuying'
    """
    first_f, last_f = fold(first), fold(last)
    if first_f is None and last_f is None:
        whole = fold(full)
        if whole is not None:
            if has_han(whole) and " " not in whole:
                given, family = split_han_name(whole)
                first_f, last_f = given or None, family or None
            else:
                first_f, last_f = split_latin_name(whole)
    return NameParts(first_f, last_f, _latin_of(first_f), _latin_of(last_f))


#: second parts of compound given names ("María Guadalupe", "José Luis", "Mary Ann"), chosen
#: among names that are rarely family names
SECOND_GIVEN_NAMES = frozenset(
    {"maria", "jose", "luis", "carlos", "antonio", "manuel", "guadalupe", "pilar", "dolores",
     "teresa", "isabel", "carmen", "fernanda", "eugenia", "elena", "jesus", "javier", "ignacio",
     "eduardo", "francisco", "miguel", "andres", "angel", "angeles", "ana", "luisa", "cristina",
     "victoria", "alejandro", "alberto", "enrique", "rosa", "concepcion", "mercedes", "josefa",
     "ann", "anne", "mae", "lynn", "jane", "marie", "louise"}
)  # fmt: skip


def split_latin_name(folded: str) -> tuple[str, str | None]:
    """A folded full name in Latin script as (given, family): at the first space, or after a
    compound given name when the name has three words or more.

    Examples
    --------
    >>> split_latin_name("maria guadalupe hernandez lopez")
    ('maria guadalupe', 'hernandez lopez')
    >>> split_latin_name("ana hernandez martinez")
    ('ana', 'hernandez martinez')
    """
    words = folded.split()
    if len(words) >= 3 and words[1] in SECOND_GIVEN_NAMES:
        return " ".join(words[:2]), " ".join(words[2:])
    return words[0], " ".join(words[1:]) or None


def _latin_of(folded: str | None) -> str | None:
    if folded is None:
        return None
    return to_pinyin(folded) if has_han(folded) else folded


def display_name(first: str | None, last: str | None, full: str | None) -> str | None:
    """A person's name as people write it, from the parts a record has (not folded).

    Chinese names are written family name first without a space: ``display_name("秀英", "王",
    None) == "王秀英"``.
    """
    first = " ".join(str(first).split()) if first else ""
    last = " ".join(str(last).split()) if last else ""
    if first or last:
        if has_han(first + last) and not (first.isascii() or last.isascii()):
            return last + first
        return f"{first} {last}".strip()
    full = " ".join(str(full).split()) if full else ""
    return full or None
