"""City names made comparable: the same city as people write it in forms, tickets and apps.

"Chicago IL", "CHICAGO" and "chicago" are one city; so are "CDMX", "México D.F." and "Ciudad de
México", or 成都市, 成都 and "Chengdu". Folding and transliteration do most of the work; a small
table of well-known short forms does the rest (extend :data:`CITY_ALIASES` for your markets).
"""

from __future__ import annotations

import re

from cxloop.unify.names import fold, latin
from cxloop.unify.pinyin import has_han

#: short or foreign forms of large cities → the folded local name
CITY_ALIASES: dict[str, str] = {
    # United States
    "nyc": "new york", "new york city": "new york", "ny": "new york", "manhattan": "new york",
    "la": "los angeles", "l a": "los angeles", "sf": "san francisco", "philly": "philadelphia",
    "atl": "atlanta", "mpls": "minneapolis", "dc": "washington", "washington dc": "washington",
    "nola": "new orleans", "vegas": "las vegas", "chi town": "chicago",
    # United Kingdom
    "greater london": "london", "city of london": "london", "gtr manchester": "manchester",
    "greater manchester": "manchester", "newcastle": "newcastle upon tyne",
    "brighton and hove": "brighton", "brighton hove": "brighton",
    # Spain
    "bcn": "barcelona", "barna": "barcelona", "bilbo": "bilbao", "seville": "sevilla",
    "saragossa": "zaragoza", "valencia": "valencia", "la coruna": "a coruna",
    # Mexico
    "cdmx": "ciudad de mexico", "mexico city": "ciudad de mexico", "mexico df": "ciudad de mexico",
    "mexico d f": "ciudad de mexico", "df": "ciudad de mexico", "d f": "ciudad de mexico",
    "gdl": "guadalajara", "mty": "monterrey",
    # China (pinyin variants)
    "peking": "beijing", "canton": "guangzhou", "shenzen": "shenzhen", "xi an": "xian",
}  # fmt: skip

# "Chicago IL", "Monterrey, N.L.", "Guadalajara, Jal.": a state or province after the city
_REGION_SUFFIX = re.compile(r"(?:,\s*|\s+)(?:[A-Z]{2}|[A-Z]\.\s?[A-Z]\.|[A-Z][a-z]{1,4}\.)\s*$")
_CITY_SUFFIX_HAN = ("市",)


def city_key(city: str | None) -> str | None:
    """A city's comparable form: folded, transliterated, short forms and state suffixes
    resolved.

    Examples
    --------
    >>> city_key("Chicago IL"), city_key("CDMX"), city_key("成都市"), city_key("Monterrey, N.L.")
    ('chicago', 'ciudad de mexico', 'chengdu', 'monterrey')
    """
    if city is None:
        return None
    text = " ".join(str(city).split())
    if not text:
        return None
    if has_han(text):
        for suffix in _CITY_SUFFIX_HAN:
            if len(text) > len(suffix) + 1 and text.endswith(suffix):
                text = text[: -len(suffix)]
        value = latin(text)
        return value.replace(" ", "") if value else None
    whole = fold(text)
    if whole in CITY_ALIASES:
        return CITY_ALIASES[whole]
    stripped = _REGION_SUFFIX.sub("", text)
    value = fold(stripped) if stripped else whole
    if value is None:
        return None
    return CITY_ALIASES.get(value, value)
