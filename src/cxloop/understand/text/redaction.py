"""Replacing personal data in comments with typed placeholders (a ``Redactor``).

What is replaced, and by what:

========== ============================================================================
``[EMAIL]``   e-mail addresses
``[IBAN]``    IBANs with valid check digits
``[ACCOUNT]`` a number of 6 digits or more after *account*, *cuenta*, *账号* and the like
``[CARD]``    13–19 digit numbers that pass the Luhn check (spaces or dashes allowed)
``[PHONE]``   numbers valid in the phone plan of a market (US, UK, Spain, Mexico, China…),
              in national or international (``+``/``00``) form
``[NAME]``    a name after *my name is*, *me llamo*, *我叫*…, or a sign-off, and any name
              passed in as known (the customer's), in full or by its parts
========== ============================================================================

Dates, times, prices and order or invoice numbers stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from cxloop.understand.text.pii_patterns import (
    ACCOUNT,
    CARD,
    EMAIL,
    IBAN,
    PHONE,
    iban_span,
    luhn_valid,
    mask_not_pii,
    phone_valid,
)
from cxloop.understand.text.segmentation import fold

# a capitalised word with a lower-case letter (Ana, O'Brien, Jean-Luc; not VERY, not UA)
_CAP = r"(?:[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:['’\-][A-ZÀ-ÖØ-Þa-zß-öø-ÿ]+)*|[A-Z]['’][A-Z][a-zß-öø-ÿ]+)"
_PARTICLES = r"(?:(?:de|del|la|las|los|y|van|von|da|di)\s+){0,2}"
_INITIAL = r"[A-Z]\.?(?![A-Za-z])"
_LATIN_NAME = rf"{_CAP}(?:\s+{_PARTICLES}(?:{_CAP}|{_INITIAL})){{0,3}}"
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
)
_COMPOUND_SURNAMES = frozenset(
    ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
     "令狐", "夏侯", "端木", "独孤", "南宫", "西门")
)  # fmt: skip
_NAME_CUES = re.compile(
    rf"(?:(?i:\bmy name is|\bmy name's|\bname\s*:|\bme llamo|\bmi nombre es"
    rf"|\bnombre\s*:|\bsoy)\s+)(?P<name>{_LATIN_NAME})"
    r"|(?:我叫|我的名字是|我的名字叫|姓名[:：]?\s*)(?P<zh>[\u4e00-\u9fff]{2,3})"
    rf"|(?:我是|本人)(?P<zh2>(?:{'|'.join(_COMPOUND_SURNAMES)}|[{_SURNAMES}])[\u4e00-\u9fff]{{1,2}})"
)
_SIGN_OFF = re.compile(
    rf"(?i:\b(?:regards|kind regards|best|thanks|thank you|cheers|saludos|un saludo|gracias"
    rf"|atentamente))\s*,\s+(?P<name>{_LATIN_NAME})\s*[.!]?\s*$"
)
_NOT_NAMES = """the a an and or but not very so really happy sorry disappointed here still writing
calling trying looking waiting el la un una muy cliente"""
_STOP_NAME_WORDS = frozenset(_NOT_NAMES.split())
_ACCENTS = {"a": "aáàä", "e": "eéèë", "i": "iíìï", "o": "oóòö", "u": "uúùü", "n": "nñ", "c": "cç"}


def _accent_class(part: str) -> str:
    out = []
    for char in fold(part):
        variants = _ACCENTS.get(char)
        out.append(f"[{variants}]" if variants else re.escape(char))
    return "".join(out)


@lru_cache(maxsize=4096)
def _known_name_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """Whole-word, case- and accent-insensitive matches of names and their parts, longest first."""
    variants: set[str] = set()
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        variants.add(name)
        parts = name.split(" ")
        if len(parts) > 1:
            variants.update(p for p in parts if len(p) >= 3 and fold(p) not in _STOP_NAME_WORDS)
        elif re.fullmatch(r"[\u4e00-\u9fff]{3,4}", name):
            surname = 2 if name[:2] in _COMPOUND_SURNAMES else 1
            if len(name) - surname >= 2:
                variants.add(name[surname:])  # a given name of two characters
    if not variants:
        return None
    alternatives = []
    for variant in sorted(variants, key=len, reverse=True):
        if re.search(r"[\u4e00-\u9fff]", variant):
            alternatives.append(re.escape(variant))
        else:
            words = [_accent_class(w) for w in variant.split(" ")]
            alternatives.append(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _iban(match: re.Match[str]) -> str:
    end = iban_span(match.group())
    return "[IBAN]" + match.group()[end:] if end else match.group()


def _replace_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
    for start, end, placeholder in sorted(spans, reverse=True):
        text = text[:start] + placeholder + text[end:]
    return text


def _numbers(text: str, language: str) -> str:
    masked = mask_not_pii(text)
    spans = []
    for match in CARD.finditer(masked):
        digits = re.sub(r"\D", "", match.group())
        if luhn_valid(digits):
            spans.append((match.start(), match.end(), "[CARD]"))
    text = _replace_spans(text, spans)
    masked = mask_not_pii(text)
    spans = [
        (m.start(), m.end(), "[PHONE]")
        for m in PHONE.finditer(masked)
        if phone_valid(m.group(), language)
    ]
    return _replace_spans(text, spans)


def _names(text: str) -> str:
    def cue(match: re.Match[str]) -> str:
        group = next(g for g in ("name", "zh", "zh2") if match.group(g))
        name = match.group(group)
        if group == "name" and fold(name.split()[0]) in _STOP_NAME_WORDS:
            return match.group()
        start = match.start(group) - match.start()
        return match.group()[:start] + "[NAME]" + match.group()[start + len(name) :]

    text = _NAME_CUES.sub(cue, text)
    return _SIGN_OFF.sub(lambda m: m.group()[: m.start("name") - m.start()] + "[NAME]", text)


class PatternRedactor:
    """Replaces e-mails, phone, card, IBAN and account numbers, and names with placeholders.

    Parameters
    ----------
    known_names
        Names to redact in every text (e.g. the company's customers when few); per-text names
        go to :meth:`redact`.

    Examples
    --------
    >>> redactor = PatternRedactor()
    >>> redactor.redact_one("My name is Ana Ruiz, call +34 612 345 678 or ana@example.com", "en")
    'My name is [NAME], call [PHONE] or [EMAIL]'
    """

    def __init__(self, known_names: Sequence[str] = ()) -> None:
        self.known_names = tuple(known_names)

    def redact_one(self, text: str, language: str, known_names: Sequence[str] = ()) -> str:
        """One text with its personal data replaced."""
        if not text:
            return text
        language = (language or "und").split("-")[0].lower()
        if "@" in text:
            text = EMAIL.sub("[EMAIL]", text)
        if any(c.isdigit() for c in text):
            text = IBAN.sub(_iban, text)
            text = ACCOUNT.sub(
                lambda m: m.group()[: m.start("number") - m.start()] + "[ACCOUNT]", text
            )
            text = _numbers(text, language)
        text = _names(text)
        names = tuple(self.known_names) + tuple(n for n in known_names if n)
        pattern = _known_name_pattern(names) if names else None
        if pattern is not None:
            text = pattern.sub("[NAME]", text)
        return text

    def redact(
        self,
        texts: Sequence[str],
        languages: Sequence[str],
        known_names: Sequence[Sequence[str]] | None = None,
    ) -> list[str]:
        """Each text with its personal data replaced.

        Parameters
        ----------
        texts, languages
            The texts and the language of each (it picks the phone markets tried first).
        known_names
            Optionally, for each text, names known to belong to it (its customer's).
        """
        if len(texts) != len(languages):
            raise ValueError(f"{len(texts)} texts but {len(languages)} languages")
        if known_names is None:
            return [self.redact_one(t, lang) for t, lang in zip(texts, languages, strict=True)]
        if len(known_names) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(known_names)} lists of known names")
        return [
            self.redact_one(t, lang, names)
            for t, lang, names in zip(texts, languages, known_names, strict=True)
        ]
