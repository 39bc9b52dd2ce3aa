"""The interview panelist's score sheet, with the pass rule's verdict shown as the sheet is filled in."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from capeval.services import console, console_desks, queries
from capeval.services import interviews as interview_service
from capeval.services import review as review_service
from capeval.settings import parse_moment
from capeval.states.application import Party
from capeval.states.authority import party_term
from capeval.states.errors import CapevalError, InputError, NotPermitted
from capeval.states.interview import Durations
from capeval.states.messages import render_message
from capeval.states.review_policy import AREAS

from .case_pages import whole_number
from .errors import MAX_ID, status_of
from .i18n import Words, language
from .rendering import page
from .security import PostedForm, csrf_checked, field_text, runtime_of
from .viewing import current_viewer

router = APIRouter(include_in_schema=False)
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]
PARTS = ("presentation", "questions", "deliberation")
"""The timed parts of an interview (Q&A Q16)."""


def scores_of(form: FormData, lang: str) -> dict[str, int]:
    """The scores the sheet holds, area by area; InputError names an area that is not a whole number."""
    scores = {}
    for area in AREAS:
        text = field_text(form, f"score_{area}")
        try:
            scores[area] = int(text)
        except ValueError:
            label = render_message(f"area_{area}", {}, lang)
            raise InputError("web_score_not_number", area=label, value=text[:20]) from None
    return scores


def _sheet_page(request: Request, sheet: console_desks.ScoreSheet, status: int = 200, **context: Any) -> Response:
    policy = runtime_of(request).review_policy
    values: dict[str, Any] = {
        "sheet": sheet,
        "areas": AREAS,
        "form": {},
        "projects_fewest": policy.interview_projects_min,
        "projects_most": policy.interview_projects_max,
    }
    values.update(context)
    return page(request, "score_sheet.html", status, **values)


@router.get("/interviews/{interview_id}/sheet", response_class=HTMLResponse)
def sheet(request: Request, interview_id: RecordId) -> Response:
    who, _ = current_viewer(request)
    return _sheet_page(request, console_desks.score_sheet(runtime_of(request), who.person_id, interview_id))


@router.post("/interviews/{interview_id}/sheet", response_class=HTMLResponse)
def score(request: Request, interview_id: RecordId, posted: PostedForm) -> Response:
    who, _ = current_viewer(request)
    form = csrf_checked(posted, who)
    lang = language(request)
    runtime = runtime_of(request)
    blank = console_desks.score_sheet(runtime, who.person_id, interview_id)
    kept = {key: value for key, value in form.items() if isinstance(value, str)}
    try:
        scores = scores_of(form, lang)
        judged = console_desks.score_sheet(runtime, who.person_id, interview_id, scores)
        if field_text(form, "save"):
            interview_service.record_scores(runtime, interview_id, who.username, scores)
            return RedirectResponse(f"/interviews/{interview_id}/sheet?done=1", status_code=303)
    except CapevalError as error:
        return _sheet_page(request, blank, status_of(error), error=Words(lang).error(error), form=kept)
    return _sheet_page(request, judged, form=kept)


@router.post("/interviews/{interview_id}/decision", response_class=HTMLResponse)
def decide(request: Request, interview_id: RecordId, posted: PostedForm) -> Response:
    """A panel member records the agreed scores and the actual durations; the pass rule decides the case."""
    who, _ = current_viewer(request)
    form = csrf_checked(posted, who)
    lang = language(request)
    runtime = runtime_of(request)
    blank = console_desks.score_sheet(runtime, who.person_id, interview_id)
    kept = {key: value for key, value in form.items() if isinstance(value, str)}
    try:
        agreed = scores_of(form, lang)
        minutes = [whole_number(field_text(form, f"{part}_minutes"), f"{part}_minutes") for part in PARTS]
        if any(value is None for value in minutes):
            raise InputError("web_input_invalid", where="minutes", problem="")
        durations = Durations(*(int(value or 0) for value in minutes))
        exam = whole_number(field_text(form, "written_exam_score"), "written_exam_score")
        interview_service.decide(
            runtime,
            interview_id,
            agreed,
            durations,
            who.username,
            short_reason=field_text(form, "short_reason"),
            written_exam_score=exam,
            projects=[
                field_text(form, f"project_{n}") for n in range(1, runtime.review_policy.interview_projects_max + 1)
            ],
        )
    except CapevalError as error:
        return _sheet_page(request, blank, status_of(error), error=Words(lang).error(error), form=kept)
    return RedirectResponse(f"/cases/{blank.case_id}?done=1", status_code=303)


def _workgroup_case(request: Request, case_id: int) -> dict[str, Any]:
    """The case, when the signed-in person is on the workgroup of its society; NotPermitted otherwise."""
    who, _ = current_viewer(request)
    runtime = runtime_of(request)
    if "workgroup" not in console.case_parties_of(runtime, who.person_id, case_id):
        party = party_term(Party.WORKGROUP)
        raise NotPermitted("authority_party_needed", actor=who.name, action=interview_service.SCHEDULE, party=party)
    return queries.show(runtime, case_id, language(request))


def _schedule_page(request: Request, case: dict[str, Any], status: int = 200, **context: Any) -> Response:
    found = review_service.examiners(runtime_of(request), case["society"], case["field"])
    values: dict[str, Any] = {"case": case, "examiners": [e for e in found if e["active"]], "form": {}, "panel": []}
    values.update(context)
    return page(request, "schedule_interview.html", status, **values)


def panel_of(form: FormData) -> list[int]:
    """The examiner ids ticked for the panel (none: chosen by load, conflict-free)."""
    chosen = [value for value in form.getlist("panel") if isinstance(value, str)]
    numbers = [whole_number(value, "panel") for value in chosen]
    return [int(number) for number in numbers if number is not None]


@router.get("/cases/{case_id}/interview", response_class=HTMLResponse)
def schedule_form(request: Request, case_id: RecordId) -> Response:
    """The workgroup's form to schedule the case's interview: when, where or the video link, the panel."""
    return _schedule_page(request, _workgroup_case(request, case_id))


@router.post("/cases/{case_id}/interview", response_class=HTMLResponse)
def schedule(request: Request, case_id: RecordId, posted: PostedForm) -> Response:
    """Schedule through the interview service (the applicant's notice and calendar invitation are queued)."""
    who, _ = current_viewer(request)
    form = csrf_checked(posted, who)
    case = _workgroup_case(request, case_id)
    kept = {key: value for key, value in form.items() if isinstance(value, str) and key != "panel"}
    try:
        panel = panel_of(form)
        when = field_text(form, "starts_at")
        if not when:
            raise InputError("web_input_invalid", where="starts_at", problem="")
        interview_service.schedule(
            runtime_of(request),
            case_id,
            parse_moment(when),
            who.username,
            place=field_text(form, "place"),
            video_link=field_text(form, "video_link"),
            panel=panel or None,
        )
    except CapevalError as error:
        words = Words(language(request))
        chosen = [value for value in form.getlist("panel") if isinstance(value, str)]
        return _schedule_page(request, case, status_of(error), error=words.error(error), form=kept, panel=chosen)
    return RedirectResponse(f"/cases/{case_id}?done=1", status_code=303)
