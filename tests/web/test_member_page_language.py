"""The member's page speaks the viewer's language: CPD standing lines and refusal reasons in English on the
English page and in Chinese on the Chinese one, whatever the settings' language."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from capeval.services import queries
from capeval.services.renewals import run_renewal_sweep
from capeval.states.calendar import SHANGHAI

from .support import REGISTERED, Console, page_csrf, sign_in


def _number(console: Console) -> str:
    return queries.certificate_numbers(console.runtime, [console.cases[REGISTERED]])[console.cases[REGISTERED]]


def test_the_english_page_shows_english_standing_and_refusal_reasons(console: Console) -> None:
    number = _number(console)
    sign_in(console.client, f"p{REGISTERED}")
    standing = console.client.get("/member?lang=en").text
    assert "short: total hours 50" in standing and "总学时" not in standing
    csrf = page_csrf(console.client, "/member")
    refused = console.client.post(f"/member/{number}/renewal?lang=en", data={"csrf_token": csrf})
    assert refused.status_code == 409
    assert "renewal can be applied for only from" in refused.text and "延续注册" not in refused.text


def test_the_chinese_page_shows_chinese_standing_and_refusal_reasons(console: Console) -> None:
    number = _number(console)
    sign_in(console.client, f"p{REGISTERED}")
    standing = console.client.get("/member?lang=zh-CN").text
    assert "尚缺: 总学时 50" in standing and "total hours" not in standing
    csrf = page_csrf(console.client, "/member")
    refused = console.client.post(f"/member/{number}/renewal?lang=zh-CN", data={"csrf_token": csrf})
    assert refused.status_code == 409
    assert "延续注册只能在" in refused.text and "renewal can be applied for" not in refused.text


def _expired(console: Console) -> None:
    """The registered member's certificate left unrenewed past its last valid day, expired by the sweep."""
    found = queries.certificate(console.runtime, _number(console))
    console.clock.set(datetime.combine(found.expires_on + timedelta(days=1), time(9), SHANGHAI))
    run_renewal_sweep(console.runtime)


def test_the_english_page_gives_the_expiry_reason_in_english(console: Console) -> None:
    _expired(console)
    sign_in(console.client, f"p{REGISTERED}")
    page = console.client.get("/member?lang=en").text
    assert "not renewed; validity ended on" in page and "未续期" not in page and "@certificate" not in page


def test_the_chinese_page_gives_the_expiry_reason_in_chinese(console: Console) -> None:
    _expired(console)
    sign_in(console.client, f"p{REGISTERED}")
    page = console.client.get("/member?lang=zh-CN").text
    assert "未续期；有效期已于" in page and "not renewed" not in page and "@certificate" not in page
