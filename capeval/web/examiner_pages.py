"""The examiner's pages: their own tasks, accepting or declining one, and the five-area review record."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from capeval.notifications.links import TASK_PATH
from capeval.services import case_documents, conflict_declarations
from capeval.services import review as review_service
from capeval.services.review import TaskView
from capeval.states.conflicts import RelationKind
from capeval.states.errors import CapevalError, InputError, NotFoundError, NotPermitted
from capeval.states.review import Recommendation, ReviewRecord, TaskAction
from capeval.states.review_policy import AREAS

from .errors import MAX_ID, status_of
from .i18n import Words, language
from .rendering import page
from .security import PostedForm, csrf_checked, field_text, runtime_of
from .viewing import current_viewer

router = APIRouter(include_in_schema=False)
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]
RESPONSES = {"accept": TaskAction.ACCEPT, "decline": TaskAction.DECLINE}
"""What an examiner may answer an invitation with."""


def _inbox(request: Request) -> tuple[str, list[TaskView]]:
    who, viewer = current_viewer(request)
    if not viewer.examiner:
        raise NotPermitted("web_not_an_examiner", actor=who.name)
    return who.username, review_service.inbox(runtime_of(request), who.username, open_only=False)


def task_username(request: Request) -> str:
    who, _ = current_viewer(request)
    return who.username


def _own_task(request: Request, task_id: RecordId) -> tuple[str, TaskView]:
    username, tasks = _inbox(request)
    for task in tasks:
        if task.task_id == task_id:
            return username, task
    raise NotFoundError("lookup_review_task_missing", task_id=task_id)


@router.get("/inbox", response_class=HTMLResponse)
def inbox(request: Request) -> Response:
    _, tasks = _inbox(request)
    notice = Words(language(request)).ui("done") if request.query_params.get("done") else None
    return page(request, "inbox.html", tasks=tasks, notice=notice)


@router.post("/tasks/{task_id}/respond", response_class=HTMLResponse)
def respond(request: Request, task_id: RecordId, posted: PostedForm) -> Response:
    who, _ = current_viewer(request)
    form = csrf_checked(posted, who)
    answer = field_text(form, "answer")
    try:
        if answer not in RESPONSES:
            raise InputError("web_task_action_unknown", action=answer)
        username, task = _own_task(request, task_id)
        review_service.act_on_task(
            runtime_of(request), task.task_id, RESPONSES[answer], username, field_text(form, "reason")
        )
    except CapevalError as error:
        _, tasks = _inbox(request)
        words = Words(language(request))
        return page(request, "inbox.html", status_of(error), tasks=tasks, error=words.error(error))
    return RedirectResponse("/inbox?done=1", status_code=303)


@router.post("/tasks/{task_id}/conflict", response_class=HTMLResponse)
def declare_conflict(request: Request, task_id: RecordId, posted: PostedForm) -> Response:
    """The examiner declares a conflict of interest on their invited task: it is declined and replaced."""
    who, _ = current_viewer(request)
    form = csrf_checked(posted, who)
    username, task = _own_task(request, task_id)
    try:
        kind = conflict_declarations.relation_kind(field_text(form, "kind"))
        conflict_declarations.declare_conflict(
            runtime_of(request), task.task_id, username, kind, field_text(form, "note")
        )
    except CapevalError as error:
        words = Words(language(request))
        return page(
            request,
            "task.html",
            status_of(error),
            task=task,
            relation_kinds=[k.value for k in RelationKind],
            error=words.error(error),
            **material_of(request, task.case_id, username),
        )
    return RedirectResponse("/inbox?done=1", status_code=303)


def material_of(request: Request, case_id: int, username: str) -> dict[str, Any]:
    """The case's self-statement and documents for the task pages (None each when the examiner may not
    read them, `states/case_reading.py`)."""
    runtime = runtime_of(request)
    try:
        statement: case_documents.CaseStatement | None = case_documents.case_statement(runtime, case_id, username)
        documents: list[case_documents.EvidenceDocument] | None = case_documents.case_documents(
            runtime, case_id, username
        )
    except NotPermitted:
        statement, documents = None, None
    return {"case_statement": statement, "documents": documents, "case": {"case_id": case_id}}


@router.get(TASK_PATH, response_class=HTMLResponse)
def task_page(request: Request, task_id: RecordId) -> Response:
    """The examiner's task: accept or decline it, or go on to the record; the case's material to read."""
    username, task = _own_task(request, task_id)
    kinds = [k.value for k in RelationKind]
    return page(request, "task.html", task=task, relation_kinds=kinds, **material_of(request, task.case_id, username))


def _record_page(request: Request, task: TaskView, status: int = 200, **context: Any) -> Response:
    values = {"task": task, "areas": AREAS, "recommendations": [r.value for r in Recommendation], "form": {}}
    values.update(material_of(request, task.case_id, task_username(request)))
    values.update(context)
    return page(request, "record.html", status, **values)


@router.get("/tasks/{task_id}/record", response_class=HTMLResponse)
def record_form(request: Request, task_id: RecordId) -> Response:
    _, task = _own_task(request, task_id)
    return _record_page(request, task)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def record_of(form: FormData) -> ReviewRecord:
    """The review record the form describes; InputError names what is missing."""
    areas: dict[str, Any] = {}
    for area in AREAS:
        achieved = field_text(form, f"achieved_{area}")
        areas[area] = {
            "achieved": {"yes": True, "no": False}.get(achieved, achieved or None),
            "justification": field_text(form, f"justification_{area}"),
        }
    return ReviewRecord.from_mapping(
        {
            "areas": areas,
            "recommendation": field_text(form, "recommendation"),
            "focus_areas": _lines(field_text(form, "focus_areas")),
            "supplement_items": _lines(field_text(form, "supplement_items")),
            "remarks": field_text(form, "remarks"),
        },
        origin="review record form",
    )


@router.post("/tasks/{task_id}/record", response_class=HTMLResponse)
def submit_record(request: Request, task_id: RecordId, posted: PostedForm) -> Response:
    who, _ = current_viewer(request)
    form = csrf_checked(posted, who)
    username, task = _own_task(request, task_id)
    try:
        review_service.submit_record(runtime_of(request), task.task_id, record_of(form), username)
    except CapevalError as error:
        words = Words(language(request))
        kept = {key: value for key, value in form.items() if isinstance(value, str)}
        return _record_page(request, task, status_of(error), error=words.error(error), form=kept)
    return RedirectResponse("/inbox?done=1", status_code=303)
