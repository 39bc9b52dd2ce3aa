"""An examiner declares a conflict of interest on an invited task from the task page."""

from __future__ import annotations

from sqlmodel import Session, select

from capeval.models.review import DeclaredRelation
from capeval.services import review as review_service
from capeval.services.review import TaskView

from .support import EXAMINERS, WORKGROUP, Console, page_csrf, sign_in

CASE = 2


def relations(console: Console) -> list[DeclaredRelation]:
    with Session(console.runtime.engine) as session:
        return list(session.exec(select(DeclaredRelation)).all())


def tasks(console: Console) -> list[TaskView]:
    return review_service.tasks_of_case(console.runtime, console.cases[CASE], WORKGROUP)


def invited_task_of(console: Console, username: str) -> TaskView:
    sign_in(console.client, username)
    inbox = console.client.get("/inbox")
    task_id = int(inbox.text.split('action="/tasks/')[1].split("/")[0])
    return next(t for t in tasks(console) if t.task_id == task_id)


def declare(console: Console, task_id: int, **fields: str) -> int:
    csrf = page_csrf(console.client, f"/tasks/{task_id}")
    return console.client.post(f"/tasks/{task_id}/conflict", data={"csrf_token": csrf, **fields}).status_code


def test_the_case_is_assigned_and_the_task_page_offers_the_declaration(console: Console) -> None:
    case_id = console.cases[CASE]
    sign_in(console.client, WORKGROUP)
    csrf = page_csrf(console.client, f"/cases/{case_id}")
    act = {"csrf_token": csrf, "action": "accept_for_review"}
    assert console.client.post(f"/cases/{case_id}/act", data=act).status_code == 303
    csrf = page_csrf(console.client, f"/cases/{case_id}")
    assert console.client.post(f"/cases/{case_id}/assign", data={"csrf_token": csrf}).status_code == 303
    task = invited_task_of(console, EXAMINERS[0])
    page = console.client.get(f"/tasks/{task.task_id}")
    assert page.status_code == 200 and f'action="/tasks/{task.task_id}/conflict"' in page.text
    assert "利益冲突声明" in page.text and "亲属" in page.text and ">family<" not in page.text
    english = console.client.get(f"/tasks/{task.task_id}", params={"lang": "en"})
    assert "Conflict-of-interest declaration" in english.text and "I supervised them" in english.text


def test_an_unknown_relation_or_a_long_note_is_refused_with_nothing_written(console: Console) -> None:
    task = invited_task_of(console, EXAMINERS[0])
    before = tasks(console)
    csrf = page_csrf(console.client, f"/tasks/{task.task_id}")
    refused = console.client.post(f"/tasks/{task.task_id}/conflict", data={"csrf_token": csrf, "kind": "enemy"})
    assert refused.status_code == 422 and 'class="error"' in refused.text and "supervisor" in refused.text
    assert declare(console, task.task_id, kind="family", note="长" * 301) == 422
    assert relations(console) == [] and tasks(console) == before


def test_another_examiner_may_not_declare_on_someone_elses_task(console: Console) -> None:
    task = invited_task_of(console, EXAMINERS[0])
    other = next(name for name in EXAMINERS if name != EXAMINERS[0])
    before = tasks(console)
    sign_in(console.client, other)
    csrf = page_csrf(console.client, "/inbox")
    refused = console.client.post(f"/tasks/{task.task_id}/conflict", data={"csrf_token": csrf, "kind": "family"})
    assert refused.status_code == 404
    assert relations(console) == [] and tasks(console) == before


def test_a_declared_conflict_declines_the_task_records_the_relation_and_invites_another(console: Console) -> None:
    task = invited_task_of(console, EXAMINERS[0])
    before = {t.task_id for t in tasks(console)}
    assert declare(console, task.task_id, kind="family", note="表兄") == 303
    after = tasks(console)
    declined = next(t for t in after if t.task_id == task.task_id)
    assert declined.state == "declined" and "conflict of interest declared: family (表兄)" in declined.reason
    added = [t for t in after if t.task_id not in before]
    assert len(added) == 1 and added[0].state == "invited" and added[0].examiner_id != task.examiner_id
    [relation] = relations(console)
    assert relation.kind == "family" and relation.note == "表兄"
    csrf = page_csrf(console.client, "/inbox")
    again = console.client.post(f"/tasks/{task.task_id}/conflict", data={"csrf_token": csrf, "kind": "other"})
    assert again.status_code == 409 and 'class="error"' in again.text
    assert len(relations(console)) == 1 and tasks(console) == after
