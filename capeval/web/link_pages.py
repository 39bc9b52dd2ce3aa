"""The pages emails link to that the console has no other page for: a society's workgroup inbox (the board
filtered to the society) and the read-only status of an appeal, a piece of feedback or an authorization
application. The addresses are the ones `notifications/links.py` builds."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from capeval.notifications.links import APPEAL_PATH, AUTHORIZATION_PATH, FEEDBACK_PATH, INBOX_PATH
from capeval.services.governance_view import governance_status
from capeval.states.errors import NotPermitted

from .rendering import page
from .security import runtime_of
from .viewing import current_viewer

router = APIRouter(include_in_schema=False)
Code = Annotated[str, Path(min_length=1, max_length=40)]
Reference = Annotated[str, Path(min_length=1, max_length=40)]


@router.get(INBOX_PATH, response_class=HTMLResponse)
def society_inbox(request: Request, code: Code) -> Response:
    """The society's board, for its workgroup and the secretariat."""
    who, viewer = current_viewer(request)
    wanted = code.strip().upper()
    if not viewer.secretariat and wanted not in {c.upper() for c in viewer.workgroup_of}:
        raise NotPermitted("web_inbox_not_yours", actor=who.name, society=wanted)
    return RedirectResponse(f"/board?{urlencode({'society': wanted})}", status_code=303)


def _status_page(request: Request, kind: str, reference: str) -> Response:
    who, _ = current_viewer(request)
    found = governance_status(runtime_of(request), kind, reference, who.person_id)
    return page(request, "governance.html", status=found)


@router.get(APPEAL_PATH, response_class=HTMLResponse)
def appeal_page(request: Request, reference: Reference) -> Response:
    """Where an appeal stands."""
    return _status_page(request, "appeal", reference)


@router.get(FEEDBACK_PATH, response_class=HTMLResponse)
def feedback_page(request: Request, reference: Reference) -> Response:
    """Where a piece of feedback stands."""
    return _status_page(request, "feedback", reference)


@router.get(AUTHORIZATION_PATH, response_class=HTMLResponse)
def authorization_page(request: Request, reference: Reference) -> Response:
    """Where an authorization application stands."""
    return _status_page(request, "authorization", reference)
