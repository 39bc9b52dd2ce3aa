"""The member's page: their certificates, CPD standing per year and ledger, logging CPD, applying for renewal."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from capeval.notifications.links import RENEWAL_PATH
from capeval.services import certificates as certificate_service
from capeval.services import member_console, queries
from capeval.states.commands import ApplyForRenewal, RecordCpdActivities
from capeval.states.cpd import KINDS, parse_activity
from capeval.states.errors import CapevalError

from .case_pages import whole_number
from .errors import status_of
from .i18n import Words, language
from .rendering import page
from .security import PostedForm, csrf_checked, field_text, runtime_of
from .viewing import current_viewer

router = APIRouter(include_in_schema=False)
Number = Annotated[str, Path(min_length=1, max_length=40)]


def _member_page(request: Request, status: int = 200, only: str | None = None, **context: Any) -> Response:
    who, _ = current_viewer(request)
    runtime = runtime_of(request)
    held = member_console.own_certificates(runtime, who.person_id, language(request))
    if only is not None:
        held = [c for c in held if c.registration_number == only]
    standing = {c.registration_number: queries.cpd_years(runtime, c.registration_number) for c in held}
    ledgers = {c.registration_number: queries.cpd_ledger(runtime, c.registration_number) for c in held}
    return page(
        request, "member.html", status, certificates=held, standing=standing, ledgers=ledgers, kinds=KINDS, **context
    )


@router.get("/member", response_class=HTMLResponse)
def member(request: Request) -> Response:
    notice = Words(language(request)).ui("done") if request.query_params.get("done") else None
    return _member_page(request, notice=notice)


@router.get(RENEWAL_PATH, response_class=HTMLResponse)
def renewal_page(request: Request, registration_number: Number) -> Response:
    """The holder's page for one certificate, where renewal is applied for (the renewal emails link here)."""
    who, _ = current_viewer(request)
    member_console.certificate_parties_of(runtime_of(request), who.person_id, registration_number)
    return _member_page(request, only=registration_number.strip())


def activity_of(form: FormData) -> dict[str, Any]:
    """The activity the CPD form describes, as the ledger's mapping (kind, date, minutes …)."""
    raw: dict[str, Any] = {"kind": field_text(form, "kind"), "date": field_text(form, "date")}
    for name in ("minutes", "days"):
        value = whole_number(field_text(form, name), name)
        if value is not None:
            raw[name] = value
    for name in ("title", "evidence", "subject", "organizer"):
        if field_text(form, name):
            raw[name] = field_text(form, name)
    if field_text(form, "online"):
        raw["online"] = True
    return raw


@router.post("/member/{number}/cpd", response_class=HTMLResponse)
def log_cpd(request: Request, number: Number, posted: PostedForm) -> Response:
    who, _ = current_viewer(request)
    form = csrf_checked(posted, who)
    try:
        member_console.certificate_parties_of(runtime_of(request), who.person_id, number)
        raw = activity_of(form)
        order = RecordCpdActivities(number, (parse_activity(raw, "activity"),), who.username)
        certificate_service.record_activities(runtime_of(request), order, [raw])
    except CapevalError as error:
        return _member_page(request, status_of(error), error=Words(language(request)).error(error))
    return RedirectResponse("/member?done=1", status_code=303)


@router.post("/member/{number}/renewal", response_class=HTMLResponse)
def apply_for_renewal(request: Request, number: Number, posted: PostedForm) -> Response:
    who, _ = current_viewer(request)
    csrf_checked(posted, who)
    try:
        member_console.certificate_parties_of(runtime_of(request), who.person_id, number)
        certificate_service.apply_for_renewal(runtime_of(request), ApplyForRenewal(number, who.username))
    except CapevalError as error:
        return _member_page(request, status_of(error), error=Words(language(request)).error(error))
    return RedirectResponse("/member?done=1", status_code=303)
