"""The HTTP API: OAuth2 password flow, administrator-issued tokens, cases, tasks, the register, problem details."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from capeval.services import accounts, queries
from capeval.states.errors import NotPermitted

from .support import ADMINISTRATOR, EXAMINERS, PASSWORD, REGISTERED, WORKGROUP, Console

PROBLEM = "application/problem+json"


def bearer(client: TestClient, username: str) -> dict[str, str]:
    answer = client.post("/api/token", data={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"] == "bearer" and body["expires_in"] > 0
    return {"Authorization": f"Bearer {body['access_token']}"}


def test_a_wrong_password_gets_a_401_problem(console: Console) -> None:
    answer = console.client.post("/api/token", data={"username": WORKGROUP, "password": "wrong one!"})
    assert answer.status_code == 401 and answer.headers["content-type"] == PROBLEM
    assert answer.json()["code"] == "account_login_failed"


def test_no_token_or_a_bad_one_gets_a_401_problem(console: Console) -> None:
    for headers in ({}, {"Authorization": "Bearer nonsense"}):
        answer = console.client.get("/api/v1/cases", headers=headers)
        assert answer.status_code == 401 and answer.json()["code"] == "account_token_invalid"
        assert answer.headers["www-authenticate"] == "Bearer"


def test_the_workgroup_lists_its_cases_paged(console: Console) -> None:
    answer = console.client.get("/api/v1/cases", headers=bearer(console.client, WORKGROUP))
    assert answer.status_code == 200
    body = answer.json()
    assert body["total"] == len(body["items"]) == len(console.cases) and body["next_after"] is None
    assert {item["case_id"] for item in body["items"]} == set(console.cases.values())
    first = min(console.cases.values())
    rest = console.client.get("/api/v1/cases", headers=bearer(console.client, WORKGROUP), params={"after": first})
    assert {item["case_id"] for item in rest.json()["items"]} == set(console.cases.values()) - {first}


def test_an_applicant_is_refused_the_board_with_a_403_problem(console: Console) -> None:
    answer = console.client.get("/api/v1/cases", headers=bearer(console.client, "p1"))
    assert answer.status_code == 403 and answer.json()["code"] == "console_board_not_staff"


def test_a_case_and_its_actions_for_those_who_hold_a_part_on_it(console: Console) -> None:
    case_id = console.cases[3]
    headers = bearer(console.client, WORKGROUP)
    shown = console.client.get(f"/api/v1/cases/{case_id}", headers=headers)
    assert shown.status_code == 200 and shown.json()["case_id"] == case_id
    actions = console.client.get(f"/api/v1/cases/{case_id}/actions", headers=headers).json()
    returning = next(a for a in actions if a["action"] == "return_for_revision")
    assert returning["needs_reason"] is True and returning["by"] == "workgroup"
    other = console.client.get(f"/api/v1/cases/{case_id}", headers=bearer(console.client, "p2"))
    assert other.status_code == 403 and other.json()["code"] == "console_case_not_yours"
    missing = console.client.get("/api/v1/cases/999999", headers=headers)
    assert missing.status_code == 404 and missing.json()["code"] == "lookup_case_missing"


def test_a_refused_action_is_a_409_problem_with_the_guards_reasons_and_writes_nothing(console: Console) -> None:
    case_id = console.cases[3]
    before = queries.show(console.runtime, case_id)["version"]
    answer = console.client.post(
        f"/api/v1/cases/{case_id}/actions",
        headers=bearer(console.client, WORKGROUP),
        json={"action": "return_for_revision", "reason": ""},
    )
    assert answer.status_code == 409 and answer.headers["content-type"] == PROBLEM
    body = answer.json()
    assert body["code"] == "guard_refused" and body["reasons"][0]["guard"] == "reason_given"
    assert queries.show(console.runtime, case_id)["version"] == before


def test_an_action_with_a_stale_version_is_a_409_conflict(console: Console) -> None:
    case_id = console.cases[3]
    answer = console.client.post(
        f"/api/v1/cases/{case_id}/actions",
        headers=bearer(console.client, WORKGROUP),
        json={"action": "return_for_revision", "reason": "缺页", "expected_version": 1},
    )
    assert answer.status_code == 409


def test_an_action_by_a_person_without_a_part_on_the_case_is_a_403_before_its_body_is_read(console: Console) -> None:
    case_id = console.cases[3]
    before = queries.show(console.runtime, case_id)["version"]
    headers = bearer(console.client, "p2")
    for body in (
        {"action": "return_for_revision", "reason": "缺页"},
        {"action": "return_for_revision", "reason": "缺页", "expected_version": 7},
        {"action": "explode"},
    ):
        answer = console.client.post(f"/api/v1/cases/{case_id}/actions", headers=headers, json=body)
        assert answer.status_code == 403 and answer.json()["code"] == "console_case_not_yours", body
    assert queries.show(console.runtime, case_id)["version"] == before


def test_malformed_bodies_are_422_problems(console: Console) -> None:
    headers = bearer(console.client, WORKGROUP)
    case_id = console.cases[3]
    for body in ({"reason": "x"}, {"action": "explode"}, {"action": 5}):
        answer = console.client.post(f"/api/v1/cases/{case_id}/actions", headers=headers, json=body)
        assert answer.status_code == 422 and answer.headers["content-type"] == PROBLEM
    assert console.client.get("/api/v1/cases", headers=headers, params={"due_within": "soon"}).status_code == 422


def test_an_examiner_sees_their_own_review_tasks_and_others_are_refused(console: Console) -> None:
    answer = console.client.get(
        "/api/v1/review-tasks", headers=bearer(console.client, EXAMINERS[0]), params={"open_only": "false"}
    )
    assert answer.status_code == 200 and all(task["examiner_name"] == "赵考官" for task in answer.json())
    refused = console.client.get("/api/v1/review-tasks", headers=bearer(console.client, "p1"))
    assert refused.status_code == 403


def test_the_register_needs_no_token_and_shows_only_public_fields(console: Console) -> None:
    answer = console.client.get("/api/v1/register", params={"name": f"申请人{REGISTERED}"})
    assert answer.status_code == 200
    [entry] = answer.json()["items"]
    assert set(entry) == {
        "registration_number",
        "name",
        "level",
        "field",
        "society",
        "valid_from",
        "valid_until",
        "status",
    }
    assert (entry["level"], entry["status"]) == ("Professional Engineering Member", "active")
    one_character = console.client.get("/api/v1/register", params={"name": "申", "limit": 1})
    assert one_character.status_code == 200 and one_character.json()["next_after"] is None
    assert [e["name"] for e in one_character.json()["items"]] == [f"申请人{REGISTERED}"]
    after = entry["registration_number"]
    assert console.client.get("/api/v1/register", params={"name": "申", "after": after}).json()["items"] == []
    unknown = console.client.get("/api/v1/register", params={"name": "申", "society": "XYZ"})
    assert unknown.status_code == 422 and "CES" in unknown.json()["detail"]


def test_an_administrator_issues_a_long_lived_token_and_nobody_else_may(console: Console) -> None:
    with pytest.raises(NotPermitted):
        accounts.issue_api_token(console.runtime, "p1", WORKGROUP)
    token = accounts.issue_api_token(console.runtime, WORKGROUP, ADMINISTRATOR, "integration")
    answer = console.client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200


def test_the_openapi_document_lists_the_endpoints(console: Console) -> None:
    paths = console.client.get("/api/openapi.json").json()["paths"]
    assert {"/api/token", "/api/v1/cases", "/api/v1/cases/{case_id}/actions", "/api/v1/register"} <= set(paths)
    assert not any(path.startswith("/board") for path in paths)


def test_the_holder_records_and_reads_cpd_and_others_are_refused(console: Console) -> None:
    case_id = console.cases[REGISTERED]
    number = queries.certificate_numbers(console.runtime, [case_id])[case_id]
    headers = bearer(console.client, f"p{REGISTERED}")
    today = console.runtime.today().isoformat()
    recorded = console.client.post(
        f"/api/v1/certificates/{number}/cpd", headers=headers, json={"kind": "seminar", "date": today, "minutes": 120}
    )
    assert recorded.status_code == 200 and recorded.json()["recorded"] == 1
    ledger = console.client.get(f"/api/v1/certificates/{number}/cpd", headers=headers).json()
    assert any(line["kind"] == "seminar" for line in ledger["lines"]) and ledger["years"]
    bad = console.client.post(
        f"/api/v1/certificates/{number}/cpd", headers=headers, json={"kind": "nap", "date": today}
    )
    assert bad.status_code == 422 and bad.json()["code"] == "cpd_field_not_choice"
    other = console.client.get(f"/api/v1/certificates/{number}/cpd", headers=bearer(console.client, "p1"))
    assert other.status_code == 403
    staff = console.client.get(f"/api/v1/certificates/{number}/cpd", headers=bearer(console.client, WORKGROUP))
    assert staff.status_code == 200
