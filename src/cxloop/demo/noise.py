"""The ways one person's details drift between systems: typos, nicknames, dropped accents,
e-mail case, Chinese names typed with the wrong homophone or written in pinyin.

Every function takes a :class:`random.Random` so that the same seed gives the same mess.
"""

from __future__ import annotations

import random

from cxloop.demo.contacts import ascii_fold
from cxloop.demo.names import NICKNAMES
from cxloop.demo.pinyin import HOMOPHONES, to_pinyin

_NEIGHBOURS = {
    "a": "qsz", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj",
    "i": "uo", "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o",
    "q": "w", "r": "et", "s": "ad", "t": "ry", "u": "yi", "v": "cb", "w": "qe", "x": "zc",
    "y": "tu", "z": "x",
}  # fmt: skip


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def typo(text: str, rnd: random.Random) -> str:
    """One slip of the keyboard: a swapped, dropped, doubled or neighbouring letter.

    Chinese text gets a homophone instead (the input method offered the wrong character).
    """
    if not text:
        return text
    if is_chinese(text):
        spots = [i for i, ch in enumerate(text) if ch in HOMOPHONES and i > 0]
        if not spots:
            return text
        i = rnd.choice(spots)
        return text[:i] + rnd.choice(HOMOPHONES[text[i]]) + text[i + 1 :]
    if len(text) < 4:
        return text
    i = rnd.randrange(1, len(text) - 1)
    kind = rnd.random()
    if kind < 0.35 and text[i].isalpha() and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind < 0.6:
        return text[:i] + text[i + 1 :]
    if kind < 0.75:
        return text[:i] + text[i] + text[i:]
    near = _NEIGHBOURS.get(text[i].lower())
    if not near:
        return text[:i] + text[i + 1 :]
    swap = rnd.choice(near)
    return text[:i] + (swap.upper() if text[i].isupper() else swap) + text[i + 1 :]


def nickname(first: str, rnd: random.Random) -> str:
    """A short form of ``first`` when it has one, else ``first`` itself."""
    options = NICKNAMES.get(first)
    return rnd.choice(options) if options else first


def first_given_name(first: str) -> str:
    """``"José Luis"`` → ``"José"``: a compound given name cut to its first part."""
    return first.split()[0] if " " in first else first


def first_surname(last: str) -> str:
    """``"García López"`` → ``"García"``: the second surname is often left out."""
    return last.split()[0] if " " in last else last


def email_case(email: str, rnd: random.Random) -> str:
    """The same address with the capitals someone typed."""
    local, domain = email.split("@")
    style = rnd.random()
    if style < 0.45:
        parts = local.split(".")
        local = ".".join(p[:1].upper() + p[1:] for p in parts)
        return f"{local}@{domain[:1].upper()}{domain[1:]}"
    if style < 0.7:
        return email.upper()
    return f"{local[:1].upper()}{local[1:]}@{domain}"


def city_variant(name: str, variants: tuple[str, ...], rnd: random.Random) -> str:
    """Another way the same city gets written."""
    return rnd.choice(variants) if variants else name


def pinyin_name(first: str, last: str) -> tuple[str, str]:
    """A Chinese name as a Latin-only system stores it: (given, family) in pinyin."""
    return to_pinyin(first), to_pinyin(last)


def strip_accents(text: str) -> str:
    return ascii_fold(text)
