"""Digests as e-mail: Jinja2 templates (HTML with a plain-text alternative) in the recipient's
language, the NPS chart as an inline PNG (vl-convert) referenced by ``cid:``.

Autoescaping is on for the HTML templates: every theme, comment, title and name is escaped.
No external URL is loaded and no script is included; the only links are the dashboard's
(``public_base_url``) and, in progress e-mails, the opt-out link.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

import vl_convert
from jinja2 import Environment, PackageLoader

from cxloop.domain.goal import GoalStatus
from cxloop.share.charts import axis_date_format, chart_locale
from cxloop.share.digests.customer_progress import CustomerProgress
from cxloop.share.digests.team_digest import TeamDigest
from cxloop.share.digests.words import (
    format_day,
    format_month,
    format_number,
    phrases,
)
from cxloop.share.kpi_trend_chart import kpi_trend_chart
from cxloop.understand.goals import format_value, goal_title

_HTML = Environment(
    loader=PackageLoader("cxloop.share.digests", "templates"),
    autoescape=True, trim_blocks=True, lstrip_blocks=True,
)  # fmt: skip
_TEXT = Environment(
    loader=PackageLoader("cxloop.share.digests", "templates"),
    autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
)  # fmt: skip
STATUS_COLOURS = {
    GoalStatus.HIT: "#1a7f37", GoalStatus.ON_TRACK: "#0072B2", GoalStatus.AT_RISK: "#9a6700",
    GoalStatus.MISS: "#cf222e", GoalStatus.NOT_ENOUGH_DATA: "#6e7781",
}  # fmt: skip
HTML_LANG = {"en": "en", "es": "es", "zh": "zh-Hans"}
CHART_WIDTH = 560


@dataclass
class DigestMail:
    """One digest ready to send: its words, and its images by content id."""

    subject: str
    text: str
    html: str
    preview_html: str
    language: str
    images: dict[str, bytes] = field(default_factory=dict)
    unsubscribe_url: str | None = None

    def message(self, *, to: str, mail_from: str, message_id: str) -> EmailMessage:
        """multipart/alternative: the text, then multipart/related with the HTML and its
        inline images."""
        message = EmailMessage()
        message["Subject"] = " ".join(self.subject.split())
        message["From"] = mail_from
        message["To"] = to
        message["Date"] = formatdate(localtime=False, usegmt=True)
        message["Message-ID"] = message_id
        message["Auto-Submitted"] = "auto-generated"
        if self.unsubscribe_url:
            message["List-Unsubscribe"] = f"<{self.unsubscribe_url}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.set_content(self.text)
        message.add_alternative(self.html, subtype="html")
        html_part = message.get_payload()[1]  # type: ignore[index]
        assert isinstance(html_part, EmailMessage)
        for cid, png in self.images.items():
            name = cid.split("@")[0] + ".png"
            html_part.add_related(
                png, "image", "png", cid=f"<{cid}>", disposition="inline", filename=name
            )
        message["Content-Language"] = self.language
        return message


def _render(name: str, context: dict[str, Any]) -> tuple[str, str]:
    return _HTML.get_template(f"{name}.html").render(context), _TEXT.get_template(
        f"{name}.txt"
    ).render(context)


def _interval(kpi: str, low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "—"
    return f"{format_value(kpi, low)} – {format_value(kpi, high)}"


def team_digest_mail(
    digest: TeamDigest, language: str, *, company: str, domain: str = "localhost"
) -> DigestMail:
    """The team digest in ``language``; the trend chart becomes ``cid:nps-trend@domain``."""
    from datetime import date

    w = phrases(language)
    start = format_day(date.fromisoformat(digest.period_start), language)
    end = format_day(date.fromisoformat(digest.period_end), language)
    team = digest.team.name or digest.team.team_id
    stories = [
        {
            "theme": s.theme,
            "mentions": w["mentions"].format(n=s.mentions, previous=s.previous_mentions),
            "quotes": [
                {"tone": q.tone, "label": w[q.tone], "text": q.text, "lang": q.language or ""}
                for q in (s.praise, s.problem) if q is not None
            ],
        }
        for s in digest.stories
    ]  # fmt: skip
    goals = []
    for g in digest.goals:
        latest = g.latest
        goals.append({
            "title": goal_title(g.goal), "status": w[g.status.value],
            "colour": STATUS_COLOURS[g.status],
            "value": format_value(g.goal.kpi, latest.value if latest else None),
            "interval": _interval(g.goal.kpi, latest.ci_low if latest else None,
                                  latest.ci_high if latest else None),
            "target": format_value(g.goal.kpi, g.goal.target),
            "deadline": format_day(g.goal.deadline, language),
        })  # fmt: skip
    trend = [
        {"week": format_day(p.period_start, language) if p.period_start else "—",
         "value": format_value("nps", p.value), "interval": _interval("nps", p.ci_low, p.ci_high),
         "n": format_number(p.n, language)}
        for p in digest.trend
    ]  # fmt: skip
    changes = []
    for c in digest.changes:
        nps = c.measure == "nps"
        shown = (lambda v: format_value("nps", v)) if nps else (
            lambda v: "—" if v is None else format_number(v, language))  # fmt: skip
        changes.append({
            "label": w[f"change_{c.measure}"], "current": shown(c.current),
            "previous": shown(c.previous), "significant": bool(c.significant),
        })  # fmt: skip
    cases = [
        {"case_id": c.case_id, "title": c.title,
         "priority": w.get(f"priority_{c.priority}", c.priority),
         "due": format_day(c.due_at.date(), language) if c.due_at else "—",
         "overdue": c.overdue, "url": digest.case_urls.get(c.case_id)}
        for c in digest.cases
    ]  # fmt: skip
    scope = (
        w["trend_scope_team"] if digest.trend_scope == "team"
        else w["trend_scope_touchpoint"].format(touchpoint=digest.team.touchpoint)
    )  # fmt: skip
    images: dict[str, bytes] = {}
    cid = f"nps-trend@{domain}"
    if digest.trend:
        images[cid] = trend_png(digest, language, scope)
    context = {
        "html_lang": HTML_LANG.get(language, "en"), "w": w, "company": company,
        "subject": w["team_subject"].format(team=team, start=start, end=end),
        "intro": w["team_intro"].format(team=team, start=start, end=end),
        "stories": stories, "goals": goals, "trend": trend, "trend_scope": scope,
        "changes": changes, "cases": cases, "inbox_url": digest.inbox_url,
        "cases_summary": w["cases_summary"].format(open=digest.open_cases,
                                                   overdue=digest.overdue_cases),
        "footer": w["footer_team"].format(company=company, team=team),
    }  # fmt: skip
    html, text = _render("team_digest", {**context, "images": {"trend": f"cid:{cid}"}})
    preview, _ = _render("team_digest", {**context, "images": _data_uris(images, cid)})
    return DigestMail(str(context["subject"]), text, html, preview, language, images)


def trend_png(digest: TeamDigest, language: str, scope: str) -> bytes:
    """The NPS-by-week chart as a PNG (twice the pixels, for sharp screens)."""
    w = phrases(language)
    rows = [
        {"period_start": p.period_start.isoformat() if p.period_start else None,
         "value": p.value, "ci_low": p.ci_low, "ci_high": p.ci_high, "n": p.n}
        for p in digest.trend if p.period_start is not None
    ]  # fmt: skip
    nps_goals = [g.goal.target for g in digest.goals if g.goal.kpi == "nps"]
    spec = kpi_trend_chart(
        rows, period_title=w["week"], value_title="NPS", interval_title=w["interval"],
        description=f"{w['trend']}: {scope}", target=nps_goals[0] if nps_goals else None,
        target_title=w["target"], locale=chart_locale(language),
        date_format=axis_date_format(language), height=220,
    )  # fmt: skip
    spec["width"] = CHART_WIDTH
    return bytes(vl_convert.vegalite_to_png(spec, scale=2))


def _data_uris(images: dict[str, bytes], cid: str) -> dict[str, str]:
    if cid not in images:
        return {}
    return {"trend": "data:image/png;base64," + base64.b64encode(images[cid]).decode("ascii")}


def progress_mail(
    progress: CustomerProgress,
    language: str,
    month_start: Any,
    *,
    company: str,
    unsubscribe_url: str | None,
    unsubscribe_label: str,
) -> DigestMail:
    """A customer's progress e-mail for the month starting ``month_start``."""
    w = phrases(language)
    month = format_month(month_start, language)
    numbers = [(w["orders"], format_number(progress.orders, language)),
               (w["orders_total"], format_number(progress.orders_total, language)),
               (w["feedback_given"], format_number(progress.feedback, language))]  # fmt: skip
    milestones = [
        w["milestone_first_order"] if n == 1 else w["milestone_orders"].format(n=n)
        for n in progress.order_milestones
    ]
    if progress.years:
        milestones.append(w["milestone_years"].format(n=progress.years))
    heard = []
    for matter in progress.resolved:
        about = w["about"].format(themes=", ".join(matter.themes)) if matter.themes else ""
        resolution = w.get(f"resolution_{matter.resolution}", w["resolution_other"])
        heard.append(w["heard_resolved"].format(
            opened=format_day(matter.opened_at, language), about=about,
            resolved=format_day(matter.resolved_at, language), resolution=resolution,
        ))  # fmt: skip
    if progress.still_open:
        heard.append(w["heard_open"].format(n=progress.still_open))
    name = progress.greeting_name
    context = {
        "html_lang": HTML_LANG.get(language, "en"), "w": w, "company": company,
        "subject": w["progress_subject"].format(month=month, company=company),
        "title": w["progress_title"].format(month=month),
        "greeting": w["greeting"].format(name=name) if name else w["greeting_anonymous"],
        "intro": w["progress_intro"].format(month=month),
        "member_since": (w["member_since"].format(date=format_day(progress.member_since, language))
                         if progress.member_since else None),
        "numbers": numbers, "milestones": milestones, "heard": heard,
        "footer": w["footer_customer"].format(company=company),
        "unsubscribe_url": unsubscribe_url, "unsubscribe_label": unsubscribe_label,
    }  # fmt: skip
    html, text = _render("customer_progress", context)
    return DigestMail(str(context["subject"]), text, html, html, language,
                      unsubscribe_url=unsubscribe_url)  # fmt: skip
