"""The message catalogs keep up with the code: every UI string is extracted, and translated into
Spanish and Chinese with the same placeholders and markup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from cxloop.web.i18n import LANGUAGES, LOCALES, catalog_path

WEB = LOCALES.parent
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
TAG = re.compile(r"</?\w+>")


def extracted_messages() -> set[str]:
    """Every message id in the web package, extracted as docs/dashboard.md says to."""
    with (WEB / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    return {
        message if isinstance(message, str) else message[0]
        for _, _, message, _, _ in extract_from_dir(WEB, method_map, options_map)
    }


def catalog_messages(path: Path, locale: str | None = None) -> dict[str, object]:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    return {str(m.id): m for m in catalog if m.id}


def test_the_template_holds_every_message_in_the_code() -> None:
    template = set(catalog_messages(LOCALES / "messages.pot"))
    extracted = extracted_messages()
    assert extracted - template == set(), "run the extract step in docs/dashboard.md"
    assert template - extracted == set(), "the .pot has messages the code no longer uses"


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_message_is_translated(language: str) -> None:
    extracted = extracted_messages()
    messages = catalog_messages(catalog_path(language), language)
    missing = sorted(extracted - set(messages))
    assert not missing, f"{language}: not in the catalog (run pybabel update): {missing}"
    for msgid in extracted:
        message = messages[msgid]
        text = message.string  # type: ignore[attr-defined]
        assert text and "fuzzy" not in message.flags, f"{language}: {msgid!r} is untranslated"  # type: ignore[attr-defined]
        assert text != msgid or msgid in {"NPS", "CSAT", "CES", "Chat", "Total"}, (
            f"{language}: {msgid!r} is left in English"
        )
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(msgid)), (
            f"{language}: {msgid!r} must keep its placeholders"
        )
        assert sorted(TAG.findall(text)) == sorted(TAG.findall(msgid)), (
            f"{language}: {msgid!r} must keep its markup"
        )
