"""The application form takes work experience, one period a line (Q&A Q33, Q37); a malformed or future period
is refused on the page with nothing written, and the workgroup sees the periods on the case page."""

from __future__ import annotations

from capeval.services import console as console_service

from ..factories import id_number, statement
from .support import WORKGROUP, Console, page_csrf, sign_in


def _form(csrf: str, experience: str) -> dict[str, str]:
    return {
        "csrf_token": csrf,
        "id_number": id_number(1),
        "society": "CES",
        "field": "electrical",
        "level": "apprentice",
        "route": "standard",
        "statement": statement(2500),
        "evidence": "education=diploma.pdf",
        "commitment": "1",
        "experience": experience,
    }


def _own_cases(console: Console) -> int:
    with console.runtime.unit_of_work() as uow:
        person = uow.directory.person_by_username("p1")
        assert person is not None and person.id is not None
        person_id = person.id
    return len(console_service.own_cases(console.runtime, person_id))


def test_the_form_keeps_the_periods_and_the_workgroup_sees_them(console: Console) -> None:
    sign_in(console.client, "p1")
    form = console.client.get("/apply")
    assert form.status_code == 200 and 'name="experience"' in form.text
    csrf = page_csrf(console.client, "/apply")
    before = _own_cases(console)
    malformed = console.client.post("/apply", data=_form(csrf, "2015-07-01 某设计院"))
    assert malformed.status_code == 422 and "开始日 | 结束日 | 阶段 | 工作单位 | 职务" in malformed.text
    future = console.client.post("/apply", data=_form(csrf, "2025-07-01 | 2026-07-01 | employment | 某院 | 工程师"))
    assert future.status_code == 422 and "晚于今日" in future.text
    assert _own_cases(console) == before
    lines = (
        "2015-07-01 | 2020-06-30 | employment | 某电力设计院 | 电气工程师\n2020-07-01 |  | master | 某大学 | 研究助理"
    )
    created = console.client.post("/apply", data=_form(csrf, lines))
    assert created.status_code == 303, created.text
    case_id = int(created.headers["location"].split("/cases/")[1].split("?")[0])
    sign_in(console.client, WORKGROUP)
    page = console.client.get(f"/cases/{case_id}")
    assert page.status_code == 200
    assert "某电力设计院" in page.text and "电气工程师" in page.text and "硕士期间" in page.text and "至今" in page.text
