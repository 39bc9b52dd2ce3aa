"""The board, one case with the actions allowed now, and the applicant's own cases."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from capeval.services import appeals as appeal_service
from capeval.services import case_documents, console, member_console, public_register
from capeval.services import case_page as case_page_service
from capeval.services import review as review_service
from capeval.services.handlers import handle, take_action_as_party
from capeval.services.runtime import Runtime
from capeval.services.work_experience import period_lines
from capeval.states.application import Action, Stage
from capeval.states.commands import AddSupplement, EvidenceRef, ReviseMaterial, TakeAction
from capeval.states.errors import CapevalError, InputError
from capeval.states.evidence import CitedResolution
from capeval.states.governance_commands import LodgeAppeal
from capeval.states.levels import Level, Route

from .case_keys import CaseKey
from .errors import MAX_ID, status_of
from .i18n import Words, language
from .rendering import page
from .security import PostedForm, csrf_checked, field_text, no_nul, runtime_of
from .uploads import APPLICATION_KINDS, SUPPLEMENT_KIND, sent_files, upload_rules
from .viewing import current_viewer

router = APIRouter(include_in_schema=False)
Digest = Annotated[str, Path(min_length=1, max_length=64)]


def whole_number(text: str, where: str) -> int | None:
    """A whole number from a form or query ('' is None); InputError otherwise."""
    if not text:
        return None
    try:
        number = int(text)
    except ValueError:
        raise InputError("web_input_invalid", where=where, problem=text) from None
    if not 0 <= number <= MAX_ID:
        raise InputError("web_input_invalid", where=where, problem=text)
    return number


def board_filter(params: Any) -> console.BoardFilter:
    """The board's filter from query parameters."""
    return console.BoardFilter(
        society=params.get("society", "").strip() or None,
        stages=tuple(s for s in params.getlist("stage") if s),
        field=params.get("field", "").strip() or None,
        due_within=whole_number(params.get("due_within", "").strip(), "due_within"),
        overdue=params.get("overdue") in ("1", "on", "true"),
        after=whole_number(params.get("after", "").strip(), "after"),
    )


@router.get("/board", response_class=HTMLResponse)
def board(request: Request) -> Response:
    _, viewer = current_viewer(request)
    wanted = board_filter(request.query_params)
    found = console.board_page(runtime_of(request), viewer, wanted)
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("after", "lang")]
    links = {
        "first": f"/board?{urlencode(params)}" if found.after is not None else None,
        "next": f"/board?{urlencode([*params, ('after', found.next_after)])}" if found.next_after else None,
    }
    stages = [stage.value for stage in Stage]
    return page(request, "board.html", board=found, wanted=wanted, fields=found.fields, stages=stages, links=links)


def _case_context(request: Request, case_id: int) -> dict[str, Any]:
    who, _ = current_viewer(request)
    runtime = runtime_of(request)
    view = case_page_service.case_view(runtime, who.person_id, case_id, language(request))
    detail, held = view.detail, view.held
    return {
        "case": detail,
        "reference": view.reference,
        "documents": view.documents,
        "file_kinds": APPLICATION_KINDS,
        "upload_rules": upload_rules(runtime),
        "interviews": view.interviews,
        "statement": view.statement,
        "options": view.options,
        "held": sorted(held),
        "tasks": view.tasks,
        "assignable": "workgroup" in held and detail["stage"] == "material_review",
        "supplementable": console.APPLICANT in held and detail["stage"] == "supplement_requested",
        "appealable": console.APPLICANT in held and detail["stage"] == "rejected",
        "grounds": list(runtime.governance.appeal_grounds),
        "editable": console.APPLICANT in held and detail["stage"] in ("draft", "returned"),
    }


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: CaseKey) -> Response:
    context = _case_context(request, case_id)
    words = Words(language(request))
    appeal = request.query_params.get("appeal", "")[:40]
    notice = (
        words.ui("appeal_lodged", reference=appeal)
        if appeal
        else words.ui("done")
        if request.query_params.get("done")
        else None
    )
    return page(request, "case.html", notice=notice, **context)


def _refused(request: Request, case_id: int, error: CapevalError) -> Response:
    context = _case_context(request, case_id)
    return page(request, "case.html", status_of(error), error=Words(language(request)).error(error), **context)


def _order(form: FormData, case_id: int, username: str) -> TakeAction:
    name = field_text(form, "action")
    try:
        action = Action(name)
    except ValueError:
        raise InputError("web_action_unknown", action=name, choices=[a.value for a in Action]) from None
    reference = field_text(form, "resolution")
    basis = CitedResolution(reference) if reference else None
    version = whole_number(field_text(form, "expected_version"), "expected_version")
    return TakeAction(case_id, action, username, field_text(form, "reason"), version, basis)


@contextmanager
def strangers_refused_first(runtime: Runtime, person_id: int, case_id: int) -> Iterator[None]:
    """Around the reading of an action's form: when it is bad input, a person holding no part on the case is
    refused instead (they learn nothing of the form), as `take_action_as_party` refuses them a good one."""
    try:
        yield
    except InputError:
        console.case_parties_of(runtime, person_id, case_id)
        raise


@router.post("/cases/{case_id}/act", response_class=HTMLResponse)
def act(request: Request, case_id: CaseKey, posted: PostedForm) -> Response:
    who, _ = current_viewer(request)
    form = csrf_checked(posted, who)
    runtime = runtime_of(request)
    try:
        with strangers_refused_first(runtime, who.person_id, case_id):
            command = _order(form, case_id, who.username)
        take_action_as_party(runtime, command)
    except CapevalError as error:
        return _refused(request, case_id, error)
    return RedirectResponse(f"/cases/{case_id}?done=1", status_code=303)


@router.post("/cases/{case_id}/statement", response_class=HTMLResponse)
def revise_statement(request: Request, case_id: CaseKey, posted: PostedForm) -> Response:
    who, _ = current_viewer(request)
    form = csrf_checked(posted, who)
    text = form.get("statement")
    try:
        console.case_parties_of(runtime_of(request), who.person_id, case_id)
        version = whole_number(field_text(form, "expected_version"), "expected_version")
        statement = text.replace("\r\n", "\n") if isinstance(text, str) else None
        files = sent_files(runtime_of(request), form, APPLICATION_KINDS)
        evidence = case_documents.uploaded_evidence(
            runtime_of(request), files, case_id=case_id, actor=who.username, action="revise"
        )
        handle(runtime_of(request), ReviseMaterial(case_id, who.username, statement, evidence, False, version))
    except CapevalError as error:
        return _refused(request, case_id, error)
    return RedirectResponse(f"/cases/{case_id}?done=1", status_code=303)


@router.post("/cases/{case_id}/assign", response_class=HTMLResponse)
def assign_examiners(request: Request, case_id: CaseKey, posted: PostedForm) -> Response:
    who, _ = current_viewer(request)
    csrf_checked(posted, who)
    try:
        console.case_parties_of(runtime_of(request), who.person_id, case_id)
        review_service.assign(runtime_of(request), case_id, who.username)
    except CapevalError as error:
        return _refused(request, case_id, error)
    return RedirectResponse(f"/cases/{case_id}?done=1", status_code=303)


@router.post("/cases/{case_id}/supplement", response_class=HTMLResponse)
def send_supplement(request: Request, case_id: CaseKey, posted: PostedForm) -> Response:
    who, _ = current_viewer(request)
    form = csrf_checked(posted, who)
    try:
        console.case_parties_of(runtime_of(request), who.person_id, case_id)
        refs = tuple(
            EvidenceRef(kind="supplement", reference=line.strip())
            for line in field_text(form, "documents").splitlines()
            if line.strip()
        )
        version = whole_number(field_text(form, "expected_version"), "expected_version")
        files = sent_files(runtime_of(request), form, (SUPPLEMENT_KIND,))
        uploaded = case_documents.uploaded_evidence(
            runtime_of(request), files, case_id=case_id, actor=who.username, action="add_supplement"
        )
        handle(runtime_of(request), AddSupplement(case_id, who.username, refs + uploaded, version))
    except CapevalError as error:
        return _refused(request, case_id, error)
    return RedirectResponse(f"/cases/{case_id}?done=1", status_code=303)


@router.post("/cases/{case_id}/appeal", response_class=HTMLResponse)
def lodge_appeal(request: Request, case_id: CaseKey, posted: PostedForm) -> Response:
    who, _ = current_viewer(request)
    form = csrf_checked(posted, who)
    try:
        console.case_parties_of(runtime_of(request), who.person_id, case_id)
        grounds = tuple(str(g) for g in form.getlist("grounds") if isinstance(g, str) and g.strip())
        order = LodgeAppeal(who.username, "failed_evaluation", grounds, field_text(form, "statement"), case_id=case_id)
        lodged = appeal_service.lodge_appeal(runtime_of(request), order)
    except CapevalError as error:
        return _refused(request, case_id, error)
    return RedirectResponse(f"/cases/{case_id}?appeal={lodged.reference}", status_code=303)


def _evidence(text: str) -> tuple[EvidenceRef, ...]:
    refs = []
    for line in text.splitlines():
        kind, separator, reference = line.strip().partition("=")
        if not line.strip():
            continue
        if not separator or not kind.strip() or not reference.strip():
            raise InputError("web_evidence_malformed", line=line.strip()[:80])
        refs.append(EvidenceRef(kind.strip(), reference.strip()))
    return tuple(refs)


def _apply_page(request: Request, status: int = 200, **context: Any) -> Response:
    societies, fields = public_register.societies_and_fields(runtime_of(request))
    values: dict[str, Any] = {
        "societies": societies,
        "fields": fields,
        "levels": [level.value for level in Level],
        "routes": [route.value for route in Route],
        "file_kinds": APPLICATION_KINDS,
        "upload_rules": upload_rules(runtime_of(request)),
        "form": {},
    }
    values.update(context)
    return page(request, "apply.html", status, **values)


@router.get("/apply", response_class=HTMLResponse)
def apply_form(request: Request) -> Response:
    current_viewer(request)
    return _apply_page(request)


@router.post("/apply", response_class=HTMLResponse)
def apply(request: Request, posted: PostedForm) -> Response:
    who, _ = current_viewer(request)
    form = csrf_checked(posted, who)
    kept = {key: value for key, value in form.items() if isinstance(value, str) and key != "id_number"}
    try:
        statement = form.get("statement")
        files = sent_files(runtime_of(request), form, APPLICATION_KINDS)
        uploaded = case_documents.uploaded_evidence(
            runtime_of(request), files, case_id=None, actor=who.username, action="create"
        )
        order = member_console.OwnApplication(
            id_number=field_text(form, "id_number"),
            society=field_text(form, "society"),
            field=field_text(form, "field"),
            level=field_text(form, "level"),
            route=field_text(form, "route"),
            statement=no_nul(statement.replace("\r\n", "\n"), "statement") if isinstance(statement, str) else "",
            evidence=_evidence(field_text(form, "evidence")) + uploaded,
            commitment_signed=bool(field_text(form, "commitment")),
            experience=period_lines(field_text(form, "experience")),
        )
        created = member_console.create_own_application(runtime_of(request), who.person_id, order)
    except CapevalError as error:
        return _apply_page(request, status_of(error), error=Words(language(request)).error(error), form=kept)
    return RedirectResponse(f"/cases/{created.case_id}?done=1", status_code=303)


@router.get("/my", response_class=HTMLResponse)
def my_cases(request: Request) -> Response:
    who, _ = current_viewer(request)
    return page(request, "my_cases.html", cases=console.own_cases(runtime_of(request), who.person_id))


def document_response(found: case_documents.DocumentContent, download: bool) -> Response:
    """A document as its stored media type, never sniffed, shown in place or saved (`download`) under its
    name (RFC 6266 with an RFC 5987 UTF-8 name for Chinese file names)."""
    ascii_name = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in found.filename)
    disposition = "attachment" if download else "inline"
    headers = {
        "Content-Disposition": f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(found.filename)}",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    }
    return Response(found.data, media_type=found.media_type, headers=headers)


@router.get("/cases/{case_id}/documents/{digest}")
def case_document(request: Request, case_id: CaseKey, digest: Digest) -> Response:
    who, _ = current_viewer(request)
    found = case_documents.document_for(runtime_of(request), case_id, digest, who.username)
    return document_response(found, download=request.query_params.get("download") == "1")
