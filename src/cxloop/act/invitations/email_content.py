"""The invitation e-mail: plain text and HTML in the recipient's language, with the first
question embedded (one link per score for NPS, CSAT and CES).

Every text that comes from a definition or a customer record is escaped in the HTML part
(Jinja2 with autoescaping); the plain-text part carries the same words and links.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import urlencode

from jinja2 import Environment

from cxloop.act.invitations.opt_out import opt_out_phrases

#: the scales whose scores are offered as links, by question type: (lowest, highest)
SCORE_SCALES: dict[str, tuple[int, int]] = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}

#: the e-mail's own words; survey titles and questions come from the definition
PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "greeting": "Hello {name},",
        "greeting_anonymous": "Hello,",
        "pick": "Click a score to answer:",
        "open": "Open the survey",
        "nps": "0 = not at all likely, 10 = extremely likely",
        "csat": "1 = very dissatisfied, 5 = very satisfied",
        "ces": "1 = very difficult, 7 = very easy",
        "personal": "This link is personal: please do not forward this e-mail. "
        "It expires in {days} days.",
        "sender": "Sent by {company}.",
    },
    "es": {
        "greeting": "Hola, {name}:",
        "greeting_anonymous": "Hola:",
        "pick": "Haga clic en una puntuación para responder:",
        "open": "Abrir la encuesta",
        "nps": "0 = nada probable, 10 = extremadamente probable",
        "csat": "1 = muy insatisfecho, 5 = muy satisfecho",
        "ces": "1 = muy difícil, 7 = muy fácil",
        "personal": "Este enlace es personal: no reenvíe este correo. Caduca en {days} días.",
        "sender": "Enviado por {company}.",
    },
    "zh": {
        "greeting": "{name}，您好：",
        "greeting_anonymous": "您好：",
        "pick": "请点击一个分数作答：",
        "open": "打开问卷",
        "nps": "0 = 完全不可能，10 = 非常可能",
        "csat": "1 = 非常不满意，5 = 非常满意",
        "ces": "1 = 非常困难，7 = 非常容易",
        "personal": "此链接仅供您本人使用，请勿转发本邮件。链接将在 {days} 天后失效。",
        "sender": "由 {company} 发送。",
    },
}
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class InvitationContent:
    """What one invitation says, already in the recipient's language.

    ``question_type`` decides whether score links are embedded (see :data:`SCORE_SCALES`).
    """

    language: str
    survey_id: str
    title: str
    question_text: str
    question_type: str
    intro: str | None = None
    recipient_name: str | None = None
    company_name: str = "My company"
    token_max_age_days: int = 30
    #: the recipient's link to refuse survey e-mail (footer and ``List-Unsubscribe``)
    opt_out_url: str | None = None


@dataclass(frozen=True)
class ScoreLink:
    score: int
    url: str


def survey_url(base_url: str, survey_id: str, token: str, score: int | None = None) -> str:
    """The link to a survey's form: ``{base}/s/{survey_id}?t=TOKEN[&score=N]``."""
    query = {"t": token} if score is None else {"t": token, "score": str(score)}
    return f"{base_url.rstrip('/')}/s/{survey_id}?{urlencode(query)}"


def score_links(content: InvitationContent, base_url: str, token: str) -> list[ScoreLink]:
    """One link per score of the first question, or none when it is not a score scale."""
    scale = SCORE_SCALES.get(content.question_type)
    if scale is None:
        return []
    low, high = scale
    return [
        ScoreLink(n, survey_url(base_url, content.survey_id, token, n))
        for n in range(low, high + 1)
    ]


def phrases(language: str) -> dict[str, str]:
    """The e-mail's own words in ``language`` (English when cxloop has no translation)."""
    return PHRASES.get(language, PHRASES[FALLBACK_LANGUAGE])


_ENV = Environment(
    autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True
)

_TEXT = Environment(autoescape=False, trim_blocks=True, lstrip_blocks=True).from_string(
    """{{ greeting }}

{{ title }}
{% if intro %}

{{ intro }}
{% endif %}

{{ question }}
{% if links %}
{{ words.pick }}
{% for link in links %}
  {{ link.score }}: {{ link.url }}
{% endfor %}
({{ words[kind] }})
{% endif %}

{{ words.open }}: {{ open_url }}

--
{{ personal }}
{{ sender }}
{% if opt_out_url %}
{{ opt_out_label }}: {{ opt_out_url }}
{% endif %}
"""
)

_HTML = _ENV.from_string(
    """<!DOCTYPE html>
<html lang="{{ language }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{ title }}</title></head>
<body style="margin:0;padding:16px;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;
color:#1f2328;">
<div style="max-width:600px;margin:0 auto;background:#ffffff;padding:24px;border-radius:8px;">
<p>{{ greeting }}</p>
<h1 style="font-size:20px;margin:16px 0;">{{ title }}</h1>
{% if intro %}
<p>{{ intro }}</p>
{% endif %}
<p style="font-size:16px;font-weight:bold;">{{ question }}</p>
{% if links %}
<p style="margin:4px 0;">{{ words.pick }}</p>
<p style="margin:0;line-height:44px;">
{% for link in links %}
<a href="{{ link.url }}" style="display:inline-block;width:32px;line-height:32px;margin:0 2px;
text-align:center;border:1px solid #0b57d0;border-radius:4px;color:#0b57d0;
text-decoration:none;font-weight:bold;">{{ link.score }}</a>
{% endfor %}
</p>
<p style="font-size:12px;color:#57606a;">{{ words[kind] }}</p>
{% endif %}
<p style="margin:24px 0;"><a href="{{ open_url }}" style="display:inline-block;padding:10px 18px;
background:#0b57d0;color:#ffffff;border-radius:4px;text-decoration:none;">{{ words.open }}</a></p>
<p style="font-size:12px;color:#57606a;">{{ personal }}<br>{{ sender }}
{% if opt_out_url %}
<br><a href="{{ opt_out_url }}" style="color:#57606a;">{{ opt_out_label }}</a>
{% endif %}
</p>
</div>
</body>
</html>
"""
)


def build_invitation_email(
    content: InvitationContent,
    *,
    to: str,
    mail_from: str,
    message_id: str,
    base_url: str,
    token: str,
) -> EmailMessage:
    """The invitation as a multipart/alternative message (text first, then HTML).

    Examples
    --------
    >>> content = InvitationContent("en", "post-delivery", "Your delivery", "How likely…?", "nps")
    >>> msg = build_invitation_email(content, to="ana@example.com", mail_from="cx@acme.example",
    ...     message_id="<inv-1@acme.example>", base_url="https://cx.acme.example", token="T")
    >>> msg["Subject"]
    'Your delivery'
    """
    words = phrases(content.language)
    links = score_links(content, base_url, token)
    context = {
        "language": content.language,
        "greeting": (
            words["greeting"].format(name=content.recipient_name)
            if content.recipient_name
            else words["greeting_anonymous"]
        ),
        "title": content.title,
        "intro": content.intro,
        "question": content.question_text,
        "links": links,
        "kind": content.question_type,
        "words": words,
        "open_url": survey_url(base_url, content.survey_id, token),
        "personal": words["personal"].format(days=content.token_max_age_days),
        "sender": words["sender"].format(company=content.company_name),
        "opt_out_url": content.opt_out_url,
        "opt_out_label": opt_out_phrases(content.language)["link"],
    }
    message = EmailMessage()
    message["Subject"] = " ".join(content.title.split())
    message["From"] = mail_from
    message["To"] = to
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    if content.opt_out_url:
        message["List-Unsubscribe"] = f"<{content.opt_out_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(_TEXT.render(context))
    message.add_alternative(_HTML.render(context), subtype="html")
    message["Content-Language"] = content.language  # after the body: set_content clears it
    return message
