"""Contact details by country: phone numbers in every format people write them, e-mail
addresses as people choose them, and postcodes as each country builds them.

A phone number is kept as its national significant number (digits, no trunk prefix) and written
in one of several styles, so that ``+1 (212) 555-0123``, ``212-555-0123`` and ``2125550123`` are
one number in three sources.
"""

from __future__ import annotations

import random
import unicodedata

from cxloop.demo.markets import City
from cxloop.demo.pinyin import initials, to_pinyin

CALLING_CODES = {"US": "1", "GB": "44", "ES": "34", "MX": "52", "CN": "86"}
PHONE_STYLES = ("intl", "national", "digits", "e164", "dashes", "zerozero")
_UK_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def phone_number(country: str, city: City, rnd: random.Random) -> str:
    """A plausible national significant number for someone living in ``city``."""
    digits = "".join(rnd.choice("0123456789") for _ in range(9))
    if country == "US":
        return rnd.choice(city.phone_areas) + rnd.choice("23456789") + digits[:6]
    if country == "GB":
        return "7" + rnd.choice("45789") + digits[:8]
    if country == "ES":
        return rnd.choice("667") + digits[:8]
    if country == "MX":
        area = rnd.choice(city.phone_areas)
        return area + digits[: 10 - len(area)]
    return "1" + rnd.choice("35789") + digits


def _groups(number: str, sizes: tuple[int, ...]) -> list[str]:
    parts, at = [], 0
    for size in sizes:
        parts.append(number[at : at + size])
        at += size
    if at < len(number):
        parts[-1] += number[at:]
    return parts


def format_phone(nsn: str, country: str, style: str) -> str:
    """Write a national significant number in one of :data:`PHONE_STYLES`."""
    cc = CALLING_CODES[country]
    trunk = "0" if country == "GB" else ""
    if style == "e164":
        return f"+{cc}{nsn}"
    if style == "zerozero":
        return f"00{cc}{nsn}"
    if style == "digits":
        return trunk + nsn
    if country == "US":
        a, b, c = _groups(nsn, (3, 3, 4))
        return {"intl": f"+1 ({a}) {b}-{c}", "national": f"({a}) {b}-{c}"}.get(
            style, f"{a}-{b}-{c}"
        )
    if country == "GB":
        a, b = _groups(nsn, (4, 6))
        return {"intl": f"+44 {a} {b}", "national": f"0{a} {b}"}.get(style, f"0{a}-{b}")
    if country == "ES":
        a, b, c, d = _groups(nsn, (3, 2, 2, 2))
        return {"intl": f"+34 {a} {b} {c} {d}", "national": f"{a} {b}{c[:1]} {c[1:]}{d}"}.get(
            style, f"{a}-{b}-{c}-{d}"
        )
    if country == "MX":
        area = 2 if nsn[:2] in ("55", "56", "81", "33") else 3
        a, b, c = _groups(nsn, (area, 4 if area == 2 else 3, 4))
        return {"intl": f"+52 {a} {b} {c}", "national": f"{a} {b} {c}"}.get(style, f"{a}-{b}-{c}")
    a, b, c = _groups(nsn, (3, 4, 4))
    return {"intl": f"+86 {a} {b} {c}", "national": f"{a} {b} {c}"}.get(style, f"{a}-{b}-{c}")


def postcode(country: str, city: City, rnd: random.Random) -> str:
    """A postcode of the right shape for ``city``."""
    prefix = rnd.choice(city.postcode_prefixes)
    if country == "GB":
        return f"{prefix} {rnd.randint(1, 9)}{rnd.choice(_UK_LETTERS)}{rnd.choice(_UK_LETTERS)}"
    width = {"US": 5, "ES": 5, "MX": 5, "CN": 6}[country]
    rest = width - len(prefix)
    return prefix + str(rnd.randint(1, 10**rest - 1)).zfill(rest)


def ascii_fold(text: str) -> str:
    """``"José Ñúñez"`` → ``"Jose Nunez"``: what a form without accents keeps."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _local_name(text: str) -> str:
    return "".join(ch for ch in ascii_fold(text).lower() if ch.isalnum())


def _weighted_choice(options: tuple[tuple[str, float], ...], rnd: random.Random) -> str:
    names = [name for name, _ in options]
    return rnd.choices(names, weights=[w for _, w in options])[0]


def email_address(
    first: str,
    last: str,
    birth_year: int,
    language: str,
    domains: tuple[tuple[str, float], ...],
    rnd: random.Random,
) -> str:
    """An e-mail address as this person might have picked it."""
    domain = _weighted_choice(domains, rnd)
    if language == "zh":
        if domain == "qq.com" and rnd.random() < 0.85:
            return f"{rnd.randint(10**5, 3 * 10**9)}@qq.com"
        given, family = _local_name(to_pinyin(first)), _local_name(to_pinyin(last))
        chinese: tuple[str, ...] = (
            f"{family}{given}",
            f"{given}.{family}",
            f"{family}{given}{birth_year % 100:02d}",
            f"{initials(last + first)}{birth_year}",
            f"{family}_{given}{rnd.randint(1, 999)}",
        )
        return f"{rnd.choice(chinese)}@{domain}"
    given = _local_name(first.split()[0])
    family = _local_name(last.split()[0])
    patterns = (
        f"{given}.{family}",
        f"{given}{family}",
        f"{given[:1]}{family}",
        f"{given}.{family}{rnd.randint(1, 99)}",
        f"{given}_{family}",
        f"{given}{birth_year}",
        f"{family}.{given}",
        f"{given}{family[:1]}{rnd.randint(10, 999)}",
    )
    weights = (30, 15, 15, 12, 6, 8, 6, 8)
    return f"{rnd.choices(patterns, weights=weights)[0]}@{domain}"


def unique_emails(emails: list[str], rnd: random.Random) -> list[str]:
    """Make addresses unique the way mail providers do: the second John Smith adds digits."""
    seen: dict[str, None] = {}
    out = []
    for address in emails:
        candidate = address
        while candidate in seen:
            local, domain = address.split("@")
            candidate = f"{local}{rnd.randint(2, 9999)}@{domain}"
        seen[candidate] = None
        out.append(candidate)
    return out
