"""The console's only script is the htmx it ships and serves itself: no page loads one from elsewhere."""

from __future__ import annotations

import re

from capeval.services import interviews

from .support import EXAMINERS, INTERVIEWED, Console, sign_in

_SCRIPT = re.compile(r"<script\b[^>]*\bsrc=\"([^\"]+)\"")


def test_the_vendored_htmx_is_served_by_the_console(console: Console) -> None:
    answer = console.client.get("/static/htmx.min.js")
    assert answer.status_code == 200 and "javascript" in answer.headers["content-type"]
    assert 'version:"2.0.11"' in answer.text
    assert "Zero-Clause BSD" in console.client.get("/static/htmx.LICENSE").text


def test_every_page_takes_its_scripts_from_the_console_itself(console: Console) -> None:
    [interview] = interviews.interviews_of_case(console.runtime, console.cases[INTERVIEWED])
    public = console.client.get("/register")
    sign_in(console.client, EXAMINERS[0])
    sheet = console.client.get(f"/interviews/{interview.interview_id}/sheet")
    for answer in (public, sheet):
        assert answer.status_code == 200
        assert _SCRIPT.findall(answer.text) == ["/static/htmx.min.js"]
    assert 'hx-post="/interviews/' in sheet.text and 'id="verdict-box"' in sheet.text
