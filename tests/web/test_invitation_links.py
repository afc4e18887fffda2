"""From the e-mail to the answer: a score clicked in an invitation received over SMTP opens the
hosted form pre-filled, and the funnel follows the invitation to its response."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

from cxloop.act.email_sender import SmtpConfig, SmtpTransport
from cxloop.act.invitations import (
    InvitationOptions,
    customers_audience,
    invitation_funnel,
    send_invitations,
)
from cxloop.collect.surveys import load_surveys
from cxloop.config import Settings
from cxloop.storage import Warehouse
from smtp_server import smtp_server

FORM_TOKEN = re.compile(r'name="f" value="([^"]+)"')


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"] or "")


def _post(client: TestClient, url: str, html: str, **answers: str):
    match = FORM_TOKEN.search(html)
    assert match, html
    return client.post(url, data={"f": match.group(1), **{f"q_{k}": v for k, v in answers.items()}})


def test_an_emailed_score_link_leads_to_a_counted_response(
    client: TestClient, web_settings: Settings, web_warehouse: Warehouse, tmp_path: Path
) -> None:
    web_warehouse.append_rows(
        "customers",
        [{"customer_id": "C1", "first_name": "Ana", "email": "ana@example.com", "language": "es"}],
    )
    ids = tmp_path / "ids.txt"
    ids.write_text("C1\n", encoding="utf-8")
    survey = load_surveys(web_settings.project)["post-delivery"]
    options = dataclasses.replace(
        InvitationOptions.from_settings(web_settings),
        public_base_url="http://testserver",
        mail_from="cx@acme.example",
    )
    with smtp_server() as (inbox, port):
        transport = SmtpTransport(SmtpConfig("127.0.0.1", port, security="none"))
        report = send_invitations(
            web_warehouse, survey, customers_audience(ids), options, transport=transport
        )
    assert report.counts == {"sent": 1}
    [message] = inbox.messages
    assert message["Subject"] == survey.text("title", "es")
    parser = _Hrefs()
    parser.feed(message.get_body(("html",)).get_content())
    [ten] = [h for h in parser.hrefs if parse_qs(urlsplit(h).query).get("score") == ["10"]]
    link = urlsplit(ten)
    url = f"{link.path}?{link.query}"

    page = client.get(url)
    assert page.status_code == 200
    assert re.search(r'value="10" checked', page.text)  # the clicked score is filled in
    assert invitation_funnel(web_warehouse, "post-delivery").opened == 1

    resume = f"{link.path}?t={parse_qs(link.query)['t'][0]}"
    second = _post(client, resume, page.text, nps="10")
    assert second.status_code == 200 and "q_love" in second.text
    done = _post(client, resume, second.text, love="Puntuales")
    assert done.status_code == 200
    funnel = invitation_funnel(web_warehouse, "post-delivery")
    assert (funnel.sent, funnel.opened, funnel.started, funnel.responded) == (1, 1, 1, 1)
    assert funnel.response_rate == 1.0 and funnel.completion_rate == 1.0
    responses = web_warehouse.to_pandas(web_warehouse.table("survey_responses"))
    assert list(responses.customer_id) == ["C1"] and list(responses.status) == ["complete"]
    assert list(responses.invitation_id) == [report.outcomes[0].invitation_id]

    # the e-mail's own opt-out link (one-click, as a mail provider sends it) stops the next round
    opt_out = urlsplit(message["List-Unsubscribe"].strip("<>"))
    assert f"{opt_out.scheme}://{opt_out.netloc}{opt_out.path}" in parser.hrefs
    assert client.post(opt_out.path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    with smtp_server() as (inbox, port):
        transport = SmtpTransport(SmtpConfig("127.0.0.1", port, security="none"))
        again = send_invitations(
            web_warehouse, survey, customers_audience(ids, wave="next"),
            dataclasses.replace(options, throttle_days=0), transport=transport,
        )  # fmt: skip
    assert again.counts == {"no_consent": 1} and inbox.messages == []
