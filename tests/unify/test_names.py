from __future__ import annotations

import pytest

from cxloop.unify.names import display_name, fold, latin, name_parts
from cxloop.unify.nicknames import CANONICAL, canonical_first_name
from cxloop.unify.pinyin import PINYIN, has_han, is_han, split_han_name, to_pinyin


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("  José-María  GARCÍA ", "jose maria garcia"),
        ("Núñez", "nunez"),
        ("Ñandú", "nandu"),
        ("O'Brien", "o brien"),
        ("MÜLLER", "muller"),
        ("Zoë\tSaldaña", "zoe saldana"),
        ("王 秀英", "王秀英"),
        ("   ", None),
        (None, None),
    ],
)
def test_fold_lowers_strips_accents_and_collapses_spaces(raw, folded) -> None:
    assert fold(raw) == folded


def test_latin_transliterates_chinese_and_keeps_latin() -> None:
    assert latin("秀英") == "xiuying"
    assert latin("欧阳娜娜") == "ouyangnana"
    assert latin("Müller") == "muller"
    assert latin("王X") == "wangx"  # unknown characters and letters are kept


def test_polyphonic_surnames_take_their_name_reading() -> None:
    assert [to_pinyin(ch) for ch in "单曾解区朴"] == ["shan", "zeng", "xie", "ou", "piao"]


def test_every_character_has_one_reading() -> None:
    assert all(s.isascii() and s.isalpha() and s.islower() for s in PINYIN.values())
    assert len(PINYIN) > 900


def test_chinese_full_names_split_family_name_first() -> None:
    assert split_han_name("王秀英") == ("秀英", "王")
    assert split_han_name("欧阳娜娜") == ("娜娜", "欧阳")
    assert split_han_name("李") == ("李", "")


def test_a_chinese_name_in_characters_and_in_pinyin_in_either_order_shares_its_key() -> None:
    keys = {
        name_parts("秀英", "王", None).key,
        name_parts(None, None, "王秀英").key,
        name_parts("Xiuying", "Wang", None).key,
        name_parts(None, None, "Wang Xiuying").key,
        name_parts(None, None, "XIUYING wang").key,
    }
    assert keys == {"wang xiuying"}


def test_a_latin_full_name_splits_at_its_first_space() -> None:
    parts = name_parts(None, None, "Ana Hernández Martínez")
    assert (parts.first, parts.last) == ("ana", "hernandez martinez")
    assert parts.first_token == "ana"
    assert parts.last_token == "hernandez"


def test_family_name_particles_are_skipped_for_the_family_token() -> None:
    assert name_parts("Luis", "de la Fuente", None).last_token == "fuente"


@pytest.mark.parametrize(
    ("first", "canonical"),
    [("Bob", "robert"), ("Pepe", "jose"), ("Maite", "maria teresa"), ("Ana", "ana")],
)
def test_short_given_names_have_a_canonical_form(first, canonical) -> None:
    assert name_parts(first, "Ruiz", None).first_canonical == canonical


def test_nickname_table_resolves_chains_and_has_no_cycles() -> None:
    assert canonical_first_name("ale") == "alexander"
    assert all(CANONICAL.get(full, full) == full for full in CANONICAL.values())


def test_display_names_follow_each_script() -> None:
    assert display_name("秀英", "王", None) == "王秀英"
    assert display_name("Ana", "Ruiz  López", None) == "Ana Ruiz López"
    assert display_name(None, None, " Xuemei  Wei ") == "Xuemei Wei"
    assert display_name(None, None, None) is None


def test_compound_given_names_stay_together_in_a_full_name() -> None:
    parts = name_parts(None, None, "María Guadalupe Hernández López")
    assert (parts.first, parts.last_token) == ("maria guadalupe", "hernandez")
    assert name_parts(None, None, "José Luis García").first == "jose luis"
    assert name_parts(None, None, "Luis García").first == "luis"


def test_has_han_agrees_with_is_han_on_every_character_near_the_ranges() -> None:
    for code in [*range(0x3300, 0x4E10), *range(0x9FF0, 0xA010), *range(0x20, 0x250)]:
        ch = chr(code)
        assert has_han(ch) == is_han(ch), hex(code)
        assert has_han(f"ab {ch} c") == is_han(ch), hex(code)
    assert not has_han("")


def test_fold_of_ascii_text_equals_the_unicode_path() -> None:
    """ASCII text skips normalisation; the answer must be the one the full path gives."""
    import random
    import unicodedata

    from cxloop.unify.names import _NOT_NAME, _SEPARATORS, _join_han

    def reference(text: str) -> str | None:  # fold before the ASCII shortcut
        text = unicodedata.normalize("NFKC", text).casefold()
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        text = " ".join(_NOT_NAME.sub("", _SEPARATORS.sub(" ", text)).split())
        return (_join_han(text) if has_han(text) else text) or None

    rng = random.Random(3)
    chars = [chr(c) for c in range(128)]
    samples = chars + ["".join(rng.choices(chars, k=rng.randint(1, 12))) for _ in range(5000)]
    for text in samples:
        assert fold(text) == reference(text), repr(text)
