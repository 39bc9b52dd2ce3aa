"""The interview panelist's score sheet, with the pass rule's verdict shown as the sheet is filled in."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from capeval.services import console
from capeval.services import interviews as interview_service
from capeval.states.errors import CapevalError, InputError
from capeval.states.messages import render_message
from capeval.states.review_policy import AREAS

from .errors import MAX_ID, status_of
from .i18n import Words, language
from .rendering import page
from .security import checked_form, field_text, runtime_of
from .viewing import current_viewer

router = APIRouter(include_in_schema=False)
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]


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


def _sheet_page(request: Request, sheet: console.ScoreSheet, status: int = 200, **context: Any) -> Response:
    values: dict[str, Any] = {"sheet": sheet, "areas": AREAS, "form": {}}
    values.update(context)
    return page(request, "score_sheet.html", status, **values)


@router.get("/interviews/{interview_id}/sheet", response_class=HTMLResponse)
def sheet(request: Request, interview_id: RecordId) -> Response:
    who, _ = current_viewer(request)
    return _sheet_page(request, console.score_sheet(runtime_of(request), who.person_id, interview_id))


@router.post("/interviews/{interview_id}/sheet", response_class=HTMLResponse)
async def score(request: Request, interview_id: RecordId) -> Response:
    who, _ = current_viewer(request)
    form = await checked_form(request, who)
    lang = language(request)
    runtime = runtime_of(request)
    blank = console.score_sheet(runtime, who.person_id, interview_id)
    kept = {key: value for key, value in form.items() if isinstance(value, str)}
    try:
        scores = scores_of(form, lang)
        judged = console.score_sheet(runtime, who.person_id, interview_id, scores)
        if field_text(form, "save"):
            interview_service.record_scores(runtime, interview_id, who.username, scores)
            return RedirectResponse(f"/interviews/{interview_id}/sheet?done=1", status_code=303)
    except CapevalError as error:
        return _sheet_page(request, blank, status_of(error), error=Words(lang).error(error), form=kept)
    return _sheet_page(request, judged, form=kept)
