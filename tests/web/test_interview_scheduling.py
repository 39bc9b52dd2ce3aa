"""The workgroup schedules a case's interview on the web through the interview service."""

from __future__ import annotations

import pytest
from sqlmodel import Session, func, select

from capeval.models.outbox import OutboxMessage
from capeval.services import interviews, queries
from capeval.services import review as review_service
from capeval.states.application import Action
from capeval.states.calendar import SHANGHAI

from ..factories import act
from .support import EXAMINERS, REJECTED, WORKGROUP, Console, page_csrf, sign_in

CASE = 2
LATER = "2026-01-19T09:30"
"""Two weeks after the fixture's clock: past the interview notice period."""


@pytest.fixture(scope="module", autouse=True)
def referred(console: Console) -> None:
    for action in (Action.ACCEPT_FOR_REVIEW, Action.REFER_TO_FURTHER_ASSESSMENT):
        act(console.runtime, console.cases[CASE], action, "engineering_knowledge")


def written(console: Console) -> tuple[int, int]:
    """(interviews of the case, outbox messages) now."""
    with Session(console.runtime.engine) as session:
        messages = session.exec(select(func.count()).select_from(OutboxMessage)).one()
    return len(interviews.interviews_of_case(console.runtime, console.cases[CASE])), messages


def post(console: Console, case_id: int, fields: dict[str, str | list[str]]) -> tuple[int, str]:
    csrf = page_csrf(console.client, "/inbox" if console.client.get("/inbox").status_code == 200 else "/board")
    answer = console.client.post(f"/cases/{case_id}/interview", data={"csrf_token": csrf, **fields})
    return answer.status_code, answer.text


def examiner_ids(console: Console) -> list[int]:
    case = queries.show(console.runtime, console.cases[CASE])
    return [e["examiner_id"] for e in review_service.examiners(console.runtime, case["society"], case["field"])]


@pytest.mark.parametrize(
    ("fields", "status", "words"),
    [
        ({"starts_at": LATER}, 422, ""),
        ({"starts_at": "next monday", "place": "北京"}, 422, "不是日期或时间"),
        ({"starts_at": "", "place": "北京"}, 422, "starts_at"),
        ({"starts_at": "2026-01-06T09:00", "place": "北京"}, 409, ""),
        ({"starts_at": LATER, "place": "北京", "panel": "x"}, 422, "panel"),
        ({"starts_at": LATER, "place": "北京", "panel": "999999"}, 404, ""),
    ],
)
def test_bad_input_is_refused_on_the_page_with_nothing_written(
    console: Console, fields: dict[str, str], status: int, words: str
) -> None:
    sign_in(console.client, WORKGROUP)
    before = written(console)
    got, text = post(console, console.cases[CASE], dict(fields))
    assert got == status and 'class="error"' in text and words in text
    assert 'id="schedule-form"' in text and written(console) == before


def test_only_the_workgroup_may_open_or_use_the_form(console: Console) -> None:
    sign_in(console.client, EXAMINERS[0])
    before = written(console)
    assert console.client.get(f"/cases/{console.cases[CASE]}/interview").status_code == 403
    got, _ = post(console, console.cases[CASE], {"starts_at": LATER, "place": "北京"})
    assert got == 403 and written(console) == before


def test_a_case_outside_further_assessment_is_refused(console: Console) -> None:
    sign_in(console.client, WORKGROUP)
    got, text = post(console, console.cases[REJECTED], {"starts_at": LATER, "place": "北京"})
    assert got == 409 and 'class="error"' in text


def test_the_workgroup_schedules_with_a_chosen_panel_and_the_applicant_is_notified(console: Console) -> None:
    sign_in(console.client, WORKGROUP)
    case_id = console.cases[CASE]
    assert 'id="schedule-interview"' in console.client.get(f"/cases/{case_id}").text
    form = console.client.get(f"/cases/{case_id}/interview")
    assert form.status_code == 200 and "面试考官组" in form.text
    assert 'name="panel"' in form.text and "senior" not in form.text
    panel = examiner_ids(console)[:2]
    before = written(console)
    got, _ = post(
        console,
        case_id,
        {"starts_at": LATER, "video_link": "https://meet.example.cn/r/1", "panel": [str(i) for i in panel]},
    )
    assert got == 303
    [interview] = interviews.interviews_of_case(console.runtime, case_id)
    assert interview.panel == panel and interview.video_link == "https://meet.example.cn/r/1"
    assert interview.starts_at.astimezone(SHANGHAI).isoformat().startswith(LATER)
    assert written(console) == (before[0] + 1, before[1] + 1)
    with Session(console.runtime.engine) as session:
        templates = session.exec(select(OutboxMessage.template).where(OutboxMessage.application_id == case_id)).all()
    assert "interview.notice" in templates
