"""The console's pages through TestClient: who may open what, CSRF, refusals with reasons, sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from capeval.services import console as console_service
from capeval.services import interviews, queries
from capeval.states.review_policy import AREAS
from capeval.web.app import create_app

from ..factories import id_number, statement
from .support import (
    ADMINISTRATOR,
    AT_COMMITTEE,
    COMMITTEE_MEMBER,
    EXAMINERS,
    INTERVIEWED,
    PASSWORD,
    REGISTERED,
    REJECTED,
    SECRETARIAT,
    SUPPLEMENTING,
    THIRD_EXAMINER,
    WORKGROUP,
    Console,
    page_csrf,
    sign_in,
)


def stage_of(console: Console, case_id: int) -> tuple[str, int]:
    detail = queries.show(console.runtime, case_id)
    return detail["stage"], detail["version"]


def test_the_register_finds_a_holder_by_part_of_the_name_and_shows_only_public_columns(console: Console) -> None:
    client = console.client
    client.cookies.clear()
    page = client.get("/register", params={"name": f"申请人{REGISTERED}", "society": "CES"})
    assert page.status_code == 200
    table = page.text.split('id="register-results"')[1]
    assert f"申请人{REGISTERED}" in table and "专业工程会员" in table and "电气工程" in table and "有效" in table
    assert "@example.cn" not in page.text and "110105" not in page.text
    number = table.split("<td>")[1].split("</td>")[0]
    by_number = client.get("/register", params={"number": number, "lang": "en"})
    assert by_number.status_code == 200 and "Professional Engineering Member" in by_number.text
    one_character = client.get("/register", params={"name": "申", "society": "CES"})
    assert f"申请人{REGISTERED}" in one_character.text.split('id="register-results"')[1]
    beyond = client.get("/register", params={"name": "申", "after": number})
    assert beyond.status_code == 200 and 'id="register-results"' not in beyond.text


@pytest.mark.parametrize(
    ("params", "status", "words"),
    [
        ({"name": "申", "society": "XYZ"}, 422, "没有学会“XYZ”"),
        ({"name": "申", "field": "nuclear"}, 422, "没有工程领域“nuclear”"),
        ({"name": "申请", "number": "X"}, 422, "二者不可同时使用"),
        ({"number": "CE-CES-ELEC-1999-00001"}, 404, "CE-CES-ELEC-1999-00001"),
    ],
)
def test_bad_register_searches_get_a_clear_message_and_a_4xx(
    console: Console, params: dict[str, str], status: int, words: str
) -> None:
    console.client.cookies.clear()
    page = console.client.get("/register", params=params)
    assert page.status_code == status
    assert 'class="error"' in page.text and words in page.text


def test_a_search_that_finds_nobody_says_so(console: Console) -> None:
    console.client.cookies.clear()
    page = console.client.get("/register", params={"name": "没有此人"})
    assert page.status_code == 200 and "没有找到符合条件的证书" in page.text


def test_pages_ask_the_public_to_sign_in_first(console: Console) -> None:
    console.client.cookies.clear()
    for path in ("/board", f"/cases/{console.cases[1]}", "/inbox", "/my", "/account/password"):
        answer = console.client.get(path)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")


def test_a_wrong_password_is_refused_on_the_page_and_guessing_is_throttled(console: Console) -> None:
    client = console.client
    client.cookies.clear()
    for _ in range(console.runtime.settings.web_login_attempts):
        form = client.get("/login")
        token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
        answer = client.post("/login", data={"username": "p3", "password": "wrong password", "csrf_token": token})
        assert answer.status_code == 401 and "用户名或密码不正确" in answer.text
    form = client.get("/login")
    token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post("/login", data={"username": "p3", "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 429 and "登录失败次数过多" in answer.text
    console.clock.set(console.clock.now() + timedelta(minutes=console.runtime.settings.web_login_window_minutes + 1))
    sign_in(client, "p3")
    assert client.get("/my").status_code == 200


def test_a_login_form_without_its_csrf_token_is_refused(console: Console) -> None:
    client = console.client
    client.cookies.clear()
    answer = client.post("/login", data={"username": "p1", "password": PASSWORD})
    assert answer.status_code == 403 and "表单已失效" in answer.text
    assert "capeval_session" not in answer.cookies


def test_the_session_cookie_is_http_only_and_same_site(console: Console) -> None:
    client = console.client
    client.cookies.clear()
    form = client.get("/login")
    token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post("/login", data={"username": "p1", "password": PASSWORD, "csrf_token": token})
    cookie = answer.headers["set-cookie"]
    assert "capeval_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("p1", "/board"),
        (EXAMINERS[0], "/board"),
        (COMMITTEE_MEMBER, "/board"),
        ("p1", "/inbox"),
        (WORKGROUP, "/inbox"),
    ],
)
def test_every_role_is_refused_where_it_does_not_belong(console: Console, username: str, path: str) -> None:
    sign_in(console.client, username)
    answer = console.client.get(path)
    assert answer.status_code == 403 and 'class="error"' in answer.text


def test_an_applicant_may_not_open_another_applicants_case(console: Console) -> None:
    sign_in(console.client, "p2")
    answer = console.client.get(f"/cases/{console.cases[1]}")
    assert answer.status_code == 403 and f"与案件{console.cases[1]}无关" in answer.text


def test_the_board_shows_the_workgroup_its_cases_with_labels_and_filters(console: Console) -> None:
    sign_in(console.client, WORKGROUP)
    board = console.client.get("/board", params={"stage": "registered"})
    assert board.status_code == 200
    rows = board.text.split('id="board"')[1]
    assert "已注册" in rows and "申请人4" in rows and "申请人1" not in rows
    bad = console.client.get("/board", params={"stage": "nowhere"})
    assert bad.status_code == 422 and "没有阶段“nowhere”" in bad.text
    other = console.client.get("/board", params={"society": "XYZ"})
    assert other.status_code == 403


def test_the_secretariat_sees_every_society_on_the_board(console: Console) -> None:
    sign_in(console.client, SECRETARIAT)
    board = console.client.get("/board")
    assert board.status_code == 200 and "申请人4" in board.text


def test_returning_without_a_reason_shows_the_guards_reason_and_writes_nothing(console: Console) -> None:
    case_id = console.cases[3]
    sign_in(console.client, WORKGROUP)
    csrf = page_csrf(console.client, f"/cases/{case_id}")
    before = stage_of(console, case_id)
    answer = console.client.post(
        f"/cases/{case_id}/act", data={"csrf_token": csrf, "action": "return_for_revision", "reason": ""}
    )
    assert answer.status_code == 409 and "理由" in answer.text.split('class="error"')[1].split("</p>")[0]
    assert stage_of(console, case_id) == before


def test_an_action_without_the_csrf_token_is_refused_and_writes_nothing(console: Console) -> None:
    case_id = console.cases[3]
    sign_in(console.client, WORKGROUP)
    before = stage_of(console, case_id)
    answer = console.client.post(f"/cases/{case_id}/act", data={"action": "return_for_revision", "reason": "缺页"})
    assert answer.status_code == 403
    assert stage_of(console, case_id) == before


def test_an_applicant_cannot_act_for_the_workgroup_on_their_own_case(console: Console) -> None:
    case_id = console.cases[3]
    sign_in(console.client, "p3")
    csrf = page_csrf(console.client, f"/cases/{case_id}")
    before = stage_of(console, case_id)
    answer = console.client.post(
        f"/cases/{case_id}/act", data={"csrf_token": csrf, "action": "accept_for_review", "reason": ""}
    )
    assert answer.status_code == 403
    assert stage_of(console, case_id) == before


@pytest.mark.parametrize(
    "form",
    [
        {"action": "return_for_revision", "reason": "缺页"},
        {"action": "return_for_revision", "reason": "缺页", "expected_version": "7"},
        {"action": "explode"},
        {"action": "return_for_revision", "expected_version": "x"},
    ],
    ids=["plain", "stale version", "unknown action", "bad version"],
)
def test_a_person_without_a_part_on_the_case_is_refused_before_the_form_is_read(
    console: Console, form: dict[str, str]
) -> None:
    case_id = console.cases[3]
    sign_in(console.client, "p2")
    csrf = page_csrf(console.client, f"/cases/{console.cases[2]}")
    before = stage_of(console, case_id)
    answer = console.client.post(f"/cases/{case_id}/act", data={"csrf_token": csrf, **form})
    assert answer.status_code == 403 and f"与案件{case_id}无关" in answer.text
    assert stage_of(console, case_id) == before


def test_an_unknown_action_is_a_clear_422(console: Console) -> None:
    case_id = console.cases[3]
    sign_in(console.client, WORKGROUP)
    csrf = page_csrf(console.client, f"/cases/{case_id}")
    answer = console.client.post(f"/cases/{case_id}/act", data={"csrf_token": csrf, "action": "explode"})
    assert answer.status_code == 422 and "没有操作“explode”" in answer.text


def test_a_secretary_returns_a_case_and_the_applicant_revises_and_resubmits(console: Console) -> None:
    case_id = console.cases[1]
    sign_in(console.client, WORKGROUP)
    csrf = page_csrf(console.client, f"/cases/{case_id}")
    answer = console.client.post(
        f"/cases/{case_id}/act",
        data={"csrf_token": csrf, "action": "return_for_revision", "reason": "请补全项目经历<b>"},
    )
    assert answer.status_code == 303
    assert stage_of(console, case_id)[0] == "returned"
    sign_in(console.client, "p1")
    page = console.client.get(f"/cases/{case_id}")
    assert "请补全项目经历&lt;b&gt;" in page.text and "已退回修改" in page.text
    csrf = page_csrf(console.client, f"/cases/{case_id}")
    statement = page.text.split('name="statement" rows="12">')[1].split("</textarea>")[0]
    _, version = stage_of(console, case_id)
    revised = console.client.post(
        f"/cases/{case_id}/statement",
        data={
            "csrf_token": csrf,
            "statement": statement + "补充：项目经历<script>x</script>",
            "expected_version": str(version),
        },
    )
    assert revised.status_code == 303
    csrf = page_csrf(console.client, f"/cases/{case_id}")
    answer = console.client.post(f"/cases/{case_id}/act", data={"csrf_token": csrf, "action": "resubmit"})
    assert answer.status_code == 303
    assert stage_of(console, case_id)[0] == "submitted"
    assert "&lt;script&gt;x&lt;/script&gt;" in console.client.get(f"/cases/{case_id}").text
    mine = console.client.get("/my")
    assert mine.status_code == 200 and "已提交，待学会初审" in mine.text


def test_an_examiner_accepts_a_task_and_submits_a_five_area_record(console: Console) -> None:
    case_id = console.cases[2]
    sign_in(console.client, WORKGROUP)
    csrf = page_csrf(console.client, f"/cases/{case_id}")
    assert (
        console.client.post(
            f"/cases/{case_id}/act", data={"csrf_token": csrf, "action": "accept_for_review"}
        ).status_code
        == 303
    )
    csrf = page_csrf(console.client, f"/cases/{case_id}")
    assert console.client.post(f"/cases/{case_id}/assign", data={"csrf_token": csrf}).status_code == 303
    sign_in(console.client, EXAMINERS[0])
    inbox = console.client.get("/inbox")
    assert inbox.status_code == 200 and "已邀请" in inbox.text
    task_id = int(inbox.text.split('action="/tasks/')[1].split("/")[0])
    csrf = page_csrf(console.client, "/inbox")
    answer = console.client.post(f"/tasks/{task_id}/respond", data={"csrf_token": csrf, "answer": "accept"})
    assert answer.status_code == 303
    form = console.client.get(f"/tasks/{task_id}/record")
    assert form.status_code == 200 and "工程伦理" in form.text
    csrf = page_csrf(console.client, f"/tasks/{task_id}/record")
    areas = ("knowledge", "ethics", "teamwork", "learning", "leadership")
    incomplete = {"csrf_token": csrf, "recommendation": "pass"} | {f"achieved_{a}": "yes" for a in areas}
    refused = console.client.post(f"/tasks/{task_id}/record", data=incomplete)
    assert refused.status_code == 422 and 'class="error"' in refused.text
    complete = incomplete | {f"justification_{a}": "材料中有项目证明" for a in areas}
    assert console.client.post(f"/tasks/{task_id}/record", data=complete).status_code == 303
    assert "已提交" in console.client.get("/inbox").text


def test_an_examiner_may_not_answer_someone_elses_task(console: Console) -> None:
    sign_in(console.client, EXAMINERS[1])
    csrf = page_csrf(console.client, "/account/password")
    answer = console.client.post("/tasks/999999/respond", data={"csrf_token": csrf, "answer": "accept"})
    assert answer.status_code == 404


def test_an_expired_session_sends_the_visitor_to_sign_in_again(console: Console) -> None:
    sign_in(console.client, WORKGROUP)
    assert console.client.get("/board").status_code == 200
    console.clock.set(console.clock.now() + timedelta(minutes=console.runtime.settings.web_session_minutes + 1))
    answer = console.client.get("/board")
    assert answer.status_code == 303 and "expired=1" in answer.headers["location"]
    assert "您的登录已过期" in console.client.get(answer.headers["location"]).text


def test_logout_ends_the_session_on_the_server(console: Console) -> None:
    sign_in(console.client, WORKGROUP)
    token = console.client.cookies.get("capeval_session")
    csrf = page_csrf(console.client, "/board")
    assert console.client.post("/logout", data={"csrf_token": csrf}).status_code == 303
    console.client.cookies.set("capeval_session", token or "")
    assert console.client.get("/board").status_code == 303


def test_a_person_changes_their_own_password(console: Console) -> None:
    sign_in(console.client, "p2")
    csrf = page_csrf(console.client, "/account/password")
    wrong = console.client.post(
        "/account/password",
        data={
            "csrf_token": csrf,
            "current_password": "nope",
            "new_password": "a new secret 1",
            "repeat_password": "a new secret 1",
        },
    )
    assert wrong.status_code == 422 and "当前密码不正确" in wrong.text
    short = console.client.post(
        "/account/password",
        data={"csrf_token": csrf, "current_password": PASSWORD, "new_password": "short", "repeat_password": "short"},
    )
    assert short.status_code == 422 and "密码太短" in short.text
    done = console.client.post(
        "/account/password",
        data={
            "csrf_token": csrf,
            "current_password": PASSWORD,
            "new_password": "a new secret 1",
            "repeat_password": "a new secret 1",
        },
    )
    assert done.status_code == 200 and "密码已修改" in done.text
    sign_in(console.client, "p2", "a new secret 1")


def test_the_english_switch_is_kept_in_a_cookie(console: Console) -> None:
    console.client.cookies.clear()
    first = console.client.get("/register", params={"lang": "en"})
    assert "Certificate register" in first.text and 'lang="en"' in first.text
    assert "Certificate register" in console.client.get("/register").text
    assert "证书公示查询" in console.client.get("/register", params={"lang": "zh-CN"}).text


def test_an_unknown_page_is_a_404_page(console: Console) -> None:
    answer = console.client.get("/nowhere")
    assert answer.status_code == 404 and "text/html" in answer.headers["content-type"]


def test_the_secretariat_records_a_resolution_and_a_member_approves_citing_it(console: Console) -> None:
    case_id = console.cases[AT_COMMITTEE]
    sign_in(console.client, SECRETARIAT)
    desk = console.client.get("/committee")
    assert desk.status_code == 200 and f"/cases/{case_id}" in desk.text and "审议委员1" in desk.text
    csrf = page_csrf(console.client, "/committee")
    votes = {f"vote_p{911 + n}": "for" for n in range(3)}
    bad = console.client.post(
        "/committee/resolutions",
        data={"csrf_token": csrf, "case_id": str(case_id), "motion": "批准", "vote_p911": "maybe"},
    )
    assert bad.status_code == 422 and "maybe" in bad.text
    recorded = console.client.post(
        "/committee/resolutions",
        data={"csrf_token": csrf, "case_id": str(case_id), "motion": f"批准案件{case_id}的注册", **votes},
    )
    assert recorded.status_code == 200 and 'class="notice"' in recorded.text
    reference = recorded.text.split("决议")[1].split("已记录")[0]
    sign_in(console.client, COMMITTEE_MEMBER)
    csrf = page_csrf(console.client, f"/cases/{case_id}")
    missing = console.client.post(f"/cases/{case_id}/act", data={"csrf_token": csrf, "action": "approve"})
    assert missing.status_code == 409 and stage_of(console, case_id)[0] == "committee_review"
    approved = console.client.post(
        f"/cases/{case_id}/act", data={"csrf_token": csrf, "action": "approve", "resolution": reference}
    )
    assert approved.status_code == 303 and stage_of(console, case_id)[0] == "approved"


def test_an_applicant_may_not_open_the_committee_desk(console: Console) -> None:
    sign_in(console.client, "p1")
    assert console.client.get("/committee").status_code == 403


def _certificate_number(console: Console) -> str:
    number = queries.certificate_numbers(console.runtime, [console.cases[REGISTERED]])[console.cases[REGISTERED]]
    return number


def test_a_member_logs_cpd_and_sees_the_standing(console: Console) -> None:
    number = _certificate_number(console)
    sign_in(console.client, f"p{REGISTERED}")
    page = console.client.get("/member")
    assert page.status_code == 200 and number in page.text and "继续教育学时" in page.text
    csrf = page_csrf(console.client, "/member")
    bad = console.client.post(f"/member/{number}/cpd", data={"csrf_token": csrf, "kind": "training", "date": "someday"})
    assert bad.status_code == 422 and 'class="error"' in bad.text
    today = console.runtime.today().isoformat()
    done = console.client.post(
        f"/member/{number}/cpd",
        data={"csrf_token": csrf, "kind": "training", "date": today, "minutes": "90", "title": "电气安全培训"},
    )
    assert done.status_code == 303
    assert "电气安全培训" in console.client.get("/member").text


def test_renewal_outside_its_window_is_refused_with_the_reason(console: Console) -> None:
    number = _certificate_number(console)
    sign_in(console.client, f"p{REGISTERED}")
    csrf = page_csrf(console.client, "/member")
    answer = console.client.post(f"/member/{number}/renewal", data={"csrf_token": csrf})
    assert answer.status_code == 409 and 'class="error"' in answer.text


def test_nobody_else_logs_cpd_on_a_members_certificate(console: Console) -> None:
    number = _certificate_number(console)
    sign_in(console.client, "p1")
    csrf = page_csrf(console.client, "/my")
    answer = console.client.post(
        f"/member/{number}/cpd", data={"csrf_token": csrf, "kind": "training", "date": "2026-01-05", "minutes": "60"}
    )
    assert answer.status_code == 403


def test_a_panelist_sees_the_pass_rule_verdict_as_the_sheet_is_filled_in(console: Console) -> None:
    case_id = console.cases[INTERVIEWED]
    [interview] = interviews.interviews_of_case(console.runtime, case_id)
    sign_in(console.client, EXAMINERS[0])
    case_page = console.client.get(f"/cases/{case_id}")
    assert f"/interviews/{interview.interview_id}/sheet" in case_page.text
    path = f"/interviews/{interview.interview_id}/sheet"
    sheet = console.client.get(path)
    assert sheet.status_code == 200 and "总分不低于60" in sheet.text
    csrf = page_csrf(console.client, path)
    low = {"csrf_token": csrf, "check": "1"} | {f"score_{a}": "5" for a in AREAS}
    judged = console.client.post(path, data=low)
    assert judged.status_code == 200 and "按通过规则不能通过" in judged.text
    high = dict(low) | {
        "score_knowledge": "25",
        "score_ethics": "15",
        "score_teamwork": "10",
        "score_learning": "10",
        "score_leadership": "10",
    }
    assert "按通过规则可以通过" in console.client.post(path, data=high).text
    bad = console.client.post(path, data=dict(low) | {"score_ethics": "很多"})
    assert bad.status_code == 422 and "工程伦理" in bad.text
    saved = console.client.post(path, data=high | {"save": "1"})
    assert saved.status_code == 303


def test_someone_off_the_panel_may_not_open_the_sheet(console: Console) -> None:
    [interview] = interviews.interviews_of_case(console.runtime, console.cases[INTERVIEWED])
    sign_in(console.client, "p1")
    assert console.client.get(f"/interviews/{interview.interview_id}/sheet").status_code == 403


def test_the_applicant_sends_the_requested_supplement_and_provides_it(console: Console) -> None:
    case_id = console.cases[SUPPLEMENTING]
    sign_in(console.client, f"p{SUPPLEMENTING}")
    csrf = page_csrf(console.client, f"/cases/{case_id}")
    empty = console.client.post(f"/cases/{case_id}/supplement", data={"csrf_token": csrf, "documents": " "})
    assert empty.status_code == 422
    too_long = console.client.post(f"/cases/{case_id}/supplement", data={"csrf_token": csrf, "documents": "报" * 501})
    assert too_long.status_code == 422 and stage_of(console, case_id)[0] == "supplement_requested"
    sent = console.client.post(f"/cases/{case_id}/supplement", data={"csrf_token": csrf, "documents": "验收报告.pdf"})
    assert sent.status_code == 303
    csrf = page_csrf(console.client, f"/cases/{case_id}")
    provided = console.client.post(f"/cases/{case_id}/act", data={"csrf_token": csrf, "action": "provide_supplement"})
    assert provided.status_code == 303 and stage_of(console, case_id)[0] == "material_review"


def test_the_applicant_appeals_a_failed_evaluation_with_grounds(console: Console) -> None:
    case_id = console.cases[REJECTED]
    sign_in(console.client, f"p{REJECTED}")
    page = console.client.get(f"/cases/{case_id}")
    assert "提出申诉" in page.text and "事实认定有误" in page.text
    csrf = page_csrf(console.client, f"/cases/{case_id}")
    bare = console.client.post(f"/cases/{case_id}/appeal", data={"csrf_token": csrf, "statement": "理由"})
    assert bare.status_code in (409, 422) and 'class="error"' in bare.text
    lodged = console.client.post(
        f"/cases/{case_id}/appeal", data={"csrf_token": csrf, "grounds": ["facts_wrong"], "statement": "项目经历被误读"}
    )
    assert lodged.status_code == 303 and "appeal=" in lodged.headers["location"]
    assert "已提交" in console.client.get(lodged.headers["location"]).text


def test_the_administrator_sees_the_rules_and_calendar_and_grants_a_role(console: Console) -> None:
    sign_in(console.client, ADMINISTRATOR)
    page = console.client.get("/admin", params={"username": WORKGROUP})
    assert page.status_code == 200 and "resubmission_working_days" in page.text and 'id="calendar"' in page.text
    assert "学会工作组" in page.text.split('id="roles"')[1]
    csrf = page_csrf(console.client, "/admin")
    unknown = console.client.post("/admin/roles", data={"csrf_token": csrf, "username": "p1", "role": "king"})
    assert unknown.status_code == 422
    granted = console.client.post(
        "/admin/roles", data={"csrf_token": csrf, "username": "p1", "role": "secretariat", "change": "grant"}
    )
    assert granted.status_code == 200 and "秘书处" in granted.text.split('id="roles"')[1].split("</table>")[0]
    withdrawn = console.client.post(
        "/admin/roles", data={"csrf_token": csrf, "username": "p1", "role": "secretariat", "change": "withdraw"}
    )
    assert withdrawn.status_code == 200 and "秘书处" not in withdrawn.text.split('id="roles"')[1].split("</table>")[0]
    issued = console.client.post("/admin/tokens", data={"csrf_token": csrf, "username": WORKGROUP, "label": "ci"})
    token = issued.text.split('id="issued-token">')[1].split("<")[0]
    assert console.client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_nobody_but_an_administrator_opens_the_administration(console: Console) -> None:
    for username in (WORKGROUP, SECRETARIAT, "p1"):
        sign_in(console.client, username)
        assert console.client.get("/admin").status_code == 403


def test_the_board_shows_how_long_each_case_has_been_in_its_stage(console: Console) -> None:
    sign_in(console.client, WORKGROUP)
    board = console.client.get("/board", params={"stage": "registered"})
    ages = board.text.split('class="ageing">')[1:]
    assert ages and all(age.split("<")[0].strip().isdigit() for age in ages)
    answer = console.client.get("/api/v1/cases", headers=_bearer(console, WORKGROUP)).json()
    assert all(isinstance(item["days_in_stage"], int) and item["days_in_stage"] >= 0 for item in answer["items"])


def _bearer(console: Console, username: str) -> dict[str, str]:
    token = console.client.post("/api/token", data={"username": username, "password": PASSWORD}).json()
    return {"Authorization": f"Bearer {token['access_token']}"}


def test_a_member_opens_an_application_with_their_own_id_number_only(console: Console) -> None:
    sign_in(console.client, "p1")
    form = console.client.get("/apply")
    assert form.status_code == 200 and "常规途径" in form.text
    csrf = page_csrf(console.client, "/apply")
    fields = {
        "csrf_token": csrf,
        "society": "CES",
        "field": "electrical",
        "level": "senior",
        "route": "standard",
        "statement": statement(2500),
        "evidence": "education=diploma.pdf\nid_card_front=front.pdf",
        "commitment": "1",
    }
    before = len(console_service.own_cases(console.runtime, _person_id(console, "p1")))
    other = console.client.post("/apply", data=fields | {"id_number": id_number(2)})
    assert other.status_code == 422 and "与名录中您的身份证号不一致" in other.text
    malformed = console.client.post("/apply", data=fields | {"id_number": id_number(1), "evidence": "diploma"})
    assert malformed.status_code == 422 and "类别=文件" in malformed.text
    assert len(console_service.own_cases(console.runtime, _person_id(console, "p1"))) == before
    created = console.client.post("/apply", data=fields | {"id_number": id_number(1)})
    assert created.status_code == 303
    case_id = int(created.headers["location"].split("/cases/")[1].split("?")[0])
    assert (
        stage_of(console, case_id)[0] == "draft"
        and len(console_service.own_cases(console.runtime, _person_id(console, "p1"))) == before + 1
    )


def _person_id(console: Console, username: str) -> int:
    with console.runtime.unit_of_work() as uow:
        person = uow.directory.person_by_username(username)
        assert person is not None and person.id is not None
        return person.id


def test_the_panel_records_its_agreed_result_once_every_sheet_is_in(console: Console) -> None:
    case_id = console.cases[INTERVIEWED]
    [interview] = interviews.interviews_of_case(console.runtime, case_id)
    sheet, decision = f"/interviews/{interview.interview_id}/sheet", f"/interviews/{interview.interview_id}/decision"
    scores = {"score_knowledge": "25", "score_ethics": "15", "score_teamwork": "10", "score_learning": "10"}
    scores |= {"score_leadership": "10"}
    minutes = {"presentation_minutes": "20", "questions_minutes": "30", "deliberation_minutes": "10"}
    projects = {"project_1": "变电站设计", "project_2": "输电线路改造"}
    sign_in(console.client, THIRD_EXAMINER)
    csrf = page_csrf(console.client, sheet)
    early = console.client.post(decision, data={"csrf_token": csrf, **scores, **minutes, **projects})
    assert early.status_code == 409 and stage_of(console, case_id)[0] == "further_assessment"
    for examiner in (*EXAMINERS, THIRD_EXAMINER):
        sign_in(console.client, examiner)
        csrf = page_csrf(console.client, sheet)
        assert console.client.post(sheet, data={"csrf_token": csrf, "save": "1", **scores}).status_code == 303
    no_minutes = console.client.post(decision, data={"csrf_token": csrf, **scores})
    assert no_minutes.status_code == 422
    one_project = console.client.post(
        decision, data={"csrf_token": csrf, **scores, **minutes, "project_1": "变电站设计"}
    )
    assert one_project.status_code == 422 and stage_of(console, case_id)[0] == "further_assessment"
    decided = console.client.post(decision, data={"csrf_token": csrf, **scores, **minutes, **projects})
    assert decided.status_code == 303 and stage_of(console, case_id)[0] == "committee_review"


def test_the_session_cookie_is_secure_when_served_over_tls(console: Console) -> None:
    with TestClient(create_app(console.runtime), base_url="https://testserver", follow_redirects=False) as client:
        form = client.get("/login")
        token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
        answer = client.post("/login", data={"username": "p1", "password": PASSWORD, "csrf_token": token})
        assert answer.status_code == 303 and "Secure" in answer.headers["set-cookie"]
