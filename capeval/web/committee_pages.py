"""The committee desk: cases awaiting the evaluation committee, and recording a resolution with the roster's
votes (the secretariat keeps the minutes); the committee then decides on the case page, citing it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from capeval.services import console_desks
from capeval.services.resolutions import record_resolution
from capeval.states.errors import CapevalError, InputError
from capeval.states.governance import Body
from capeval.states.governance_commands import RecordResolution
from capeval.states.resolutions import Vote

from .case_pages import whole_number
from .errors import status_of
from .i18n import Words, language
from .rendering import page
from .security import PostedForm, csrf_checked, field_text, runtime_of
from .viewing import current_viewer

router = APIRouter(include_in_schema=False)


def _desk(request: Request, status: int = 200, **context: Any) -> Response:
    _, viewer = current_viewer(request)
    after = whole_number(request.query_params.get("after", "").strip(), "after")
    desk = console_desks.committee_desk(runtime_of(request), viewer, after)
    votes = [vote.value for vote in Vote]
    return page(request, "committee.html", status, desk=desk, votes=votes, **context)


@router.get("/committee", response_class=HTMLResponse)
def committee(request: Request) -> Response:
    return _desk(request)


@router.post("/committee/resolutions", response_class=HTMLResponse)
def resolve(request: Request, posted: PostedForm) -> Response:
    who, viewer = current_viewer(request)
    form = csrf_checked(posted, who)
    words = Words(language(request))
    try:
        desk = console_desks.committee_desk(runtime_of(request), viewer)
        case_id = whole_number(field_text(form, "case_id"), "case_id")
        if case_id is None:
            raise InputError("web_input_invalid", where="case_id", problem="")
        votes: dict[str, Vote] = {}
        for username, name in desk.roster:
            text = field_text(form, f"vote_{username}") or Vote.ABSENT.value
            try:
                votes[username] = Vote(text)
            except ValueError:
                raise InputError("web_vote_unknown", member=name, vote=text, choices=[v.value for v in Vote]) from None
        order = RecordResolution(
            Body.REVIEW_COMMITTEE,
            field_text(form, "motion"),
            votes,
            who.username,
            subjects=(("application", str(case_id)),),
        )
        recorded = record_resolution(runtime_of(request), order)
    except CapevalError as error:
        return _desk(request, status_of(error), error=words.error(error))
    notice = words.ui("resolution_recorded", reference=recorded["reference"], arithmetic=recorded["arithmetic"])
    return _desk(request, notice=notice)
