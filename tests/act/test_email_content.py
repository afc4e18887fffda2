"""The invitation e-mail: both parts, the score links, escaping, languages."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from cxloop.act.invitations.email_content import (
    PHRASES,
    InvitationContent,
    build_invitation_email,
    score_links,
    survey_url,
)

BASE = "https://cx.acme.example/"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"] or "")


def _email(content: InvitationContent, token: str = "TOKEN.abc-_"):
    return build_invitation_email(
        content, to="ana@example.com", mail_from="Acme <cx@acme.example>",
        message_id="<inv-1@acme.example>", base_url=BASE, token=token,
    )  # fmt: skip


def _parts(message) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


@pytest.mark.parametrize(("kind", "scores"), [("nps", range(11)), ("csat", range(1, 6)),
                                             ("ces", range(1, 8))])  # fmt: skip
def test_one_link_per_score(kind: str, scores: range) -> None:
    content = InvitationContent("en", "post-delivery", "Your delivery", "How was it?", kind)
    text, html = _parts(_email(content))
    parser = _Links()
    parser.feed(html)
    score_hrefs = [h for h in parser.hrefs if "score=" in h]
    assert [int(parse_qs(urlsplit(h).query)["score"][0]) for h in score_hrefs] == list(scores)
    for href in parser.hrefs:
        parts = urlsplit(href)
        assert (parts.scheme, parts.netloc, parts.path) == ("https", "cx.acme.example",
                                                            "/s/post-delivery")  # fmt: skip
        assert parse_qs(parts.query)["t"] == ["TOKEN.abc-_"]
    for href in score_hrefs:
        assert href in text  # the plain-text part carries the same links
    assert PHRASES["en"][kind] in text


def test_other_question_types_get_one_link() -> None:
    content = InvitationContent("en", "ideas", "Ideas", "What should we build?", "text")
    text, html = _parts(_email(content))
    parser = _Links()
    parser.feed(html)
    assert parser.hrefs == [survey_url(BASE, "ideas", "TOKEN.abc-_")]
    assert "score=" not in text
    assert score_links(content, BASE, "T") == []


def test_texts_are_escaped_in_the_html() -> None:
    content = InvitationContent(
        "en", "s", 'Tom & Jerry\'s <b>"survey"</b>', "<script>alert(1)</script> ok?", "nps",
        intro="<img src=x onerror=alert(1)>", recipient_name="<i>Ana</i>",
    )  # fmt: skip
    text, html = _parts(_email(content))
    assert "<script>" not in html and "<img" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; ok?" in html
    assert "Tom &amp; Jerry&#39;s &lt;b&gt;&#34;survey&#34;&lt;/b&gt;" in html
    parser = _Links()
    parser.feed(html)
    assert "script" not in parser.tags and "img" not in parser.tags
    # the plain text is not HTML: it carries the words as they are
    assert "<script>alert(1)</script> ok?" in text and "Hello <i>Ana</i>," in text


@pytest.mark.parametrize("language", ["en", "es", "zh"])
def test_in_the_recipients_language(language: str) -> None:
    title = {"en": "Your delivery", "es": "Su entrega", "zh": "您的配送"}[language]
    content = InvitationContent(language, "s", title, "?", "nps", recipient_name="Ana",
                                token_max_age_days=14)  # fmt: skip
    message = _email(content)
    text, html = _parts(message)
    words = PHRASES[language]
    assert message["Subject"] == title and message["Content-Language"] == language
    assert f'<html lang="{language}">' in html
    assert words["open"] in html and words["open"] in text
    assert words["greeting"].format(name="Ana") in text
    assert words["personal"].format(days=14) in text


def test_an_unknown_language_falls_back_to_english_words() -> None:
    content = InvitationContent("fr", "s", "Titre", "?", "csat")
    text, _ = _parts(_email(content))
    assert PHRASES["en"]["open"] in text


def test_headers() -> None:
    content = InvitationContent("en", "s", "A title\nwith a break", "?", "nps")
    message = _email(content)
    assert message["Subject"] == "A title with a break"
    assert message["Message-ID"] == "<inv-1@acme.example>"
    assert message["To"] == "ana@example.com"
    assert message.get_content_type() == "multipart/alternative"


def test_the_opt_out_link_and_one_click_headers() -> None:
    url = "https://cx.acme.example/u/OPT.TOKEN"
    content = InvitationContent("es", "s", "Título", "?", "nps", opt_out_url=url)
    message = _email(content)
    text, html = _parts(message)
    assert message["List-Unsubscribe"] == f"<{url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    parser = _Links()
    parser.feed(html)
    assert url in parser.hrefs and url in text
    assert "No recibir más encuestas por correo" in html
    plain = _email(InvitationContent("en", "s", "T", "?", "nps"))
    assert plain["List-Unsubscribe"] is None
