"""A console on a test database: a society, its staff and members with passwords, and signed-in clients."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from fastapi.testclient import TestClient

from capeval.services import accounts, interviews
from capeval.services.directory import load_directory
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.clock import FixedClock
from capeval.web.app import create_app

from ..factories import FIELD, act, id_number, load_society, person, society_document, submitted_case

PASSWORD = "correct horse battery"
WORKGROUP = "p900"
SECRETARIAT = "p902"
EXAMINERS = ("p901", "p903")
COMMITTEE_MEMBER = "p911"
MEMBERS = (1, 2, 3, 4, 5, 6, 7, 8)
SUPPLEMENTING = 7
"""The member whose case the examiners asked for a supplement."""
REJECTED = 8
"""The member whose case failed the material review."""
INTERVIEWED = 6
"""The member whose case the fixture refers to an interview."""
REGISTERED = 4
"""The member whose case the fixture takes to a certificate."""
AT_COMMITTEE = 5
"""The member whose case the fixture takes to the committee."""
ADMINISTRATOR = "a990"
THIRD_EXAMINER = "p904"
STAFF = (WORKGROUP, SECRETARIAT, *EXAMINERS, THIRD_EXAMINER, COMMITTEE_MEMBER, ADMINISTRATOR)


@dataclass
class Console:
    """The runtime, its clock, the app and the cases made for the tests."""

    runtime: Runtime
    clock: FixedClock
    client: TestClient
    cases: dict[int, int]


def populate(runtime: Runtime) -> dict[int, int]:
    """The test society with its members, their cases taken to the stages the tests need, and an
    administrator; everyone has the test password."""
    load_society(runtime, list(MEMBERS))
    cases = {serial: submitted_case(runtime, serial) for serial in MEMBERS}
    for action in (Action.ACCEPT_FOR_REVIEW, Action.PASS_MATERIAL_REVIEW, Action.APPROVE, Action.REGISTER):
        act(runtime, cases[REGISTERED], action)
    for action in (Action.ACCEPT_FOR_REVIEW, Action.PASS_MATERIAL_REVIEW):
        act(runtime, cases[AT_COMMITTEE], action)
    for action in (Action.ACCEPT_FOR_REVIEW, Action.REFER_TO_FURTHER_ASSESSMENT):
        act(runtime, cases[INTERVIEWED], action, "engineering_knowledge")
    act(runtime, cases[SUPPLEMENTING], Action.ACCEPT_FOR_REVIEW)
    act(runtime, cases[SUPPLEMENTING], Action.REQUEST_SUPPLEMENT, "项目验收报告")
    act(runtime, cases[REJECTED], Action.ACCEPT_FOR_REVIEW)
    act(runtime, cases[REJECTED], Action.FAIL_MATERIAL_REVIEW, "能力不足")
    third = {**person(904, "孙考官"), "field": FIELD, "level": "senior"}
    admin = {"name": "管理员", "id_number": id_number(990), "email": "a990@example.cn", "role": "administrator"}
    society = society_document()["society"]
    load_directory(runtime, {"society": society, "examiner": [third], "staff": [admin]}, origin="test")
    interviews.schedule(runtime, cases[INTERVIEWED], runtime.clock.now() + timedelta(days=7), "王秘书", place="北京")
    for username in (*STAFF, *(f"p{serial}" for serial in MEMBERS)):
        accounts.set_password(runtime, username, PASSWORD)
    return cases


def app_client(runtime: Runtime) -> TestClient:
    return TestClient(create_app(runtime), follow_redirects=False)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    """Sign `client` in through the login form (cookies kept on the client)."""
    client.cookies.clear()
    form = client.get("/login")
    answer = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": csrf_of(form.text), "next": "/"}
    )
    assert answer.status_code == 303, answer.text


def page_csrf(client: TestClient, path: str) -> str:
    return csrf_of(client.get(path).text)
