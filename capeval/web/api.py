"""The HTTP API under /api/v1: bearer tokens (OAuth2 password flow at /api/token, or issued by an
administrator), cases, their actions, one's own review tasks, the public register."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from pydantic import BaseModel, Field, field_validator

from capeval.services import accounts, case_documents, console, member_console, public_register, queries
from capeval.services import certificates as certificate_service
from capeval.services import review as review_service
from capeval.services.accounts import SignedIn
from capeval.services.handlers import take_action_as_party
from capeval.states.application import Action
from capeval.states.commands import RecordCpdActivities, TakeAction
from capeval.states.cpd import parse_activity
from capeval.states.errors import InputError
from capeval.states.evidence import CitedResolution

from .case_pages import Digest, document_response, strangers_refused_first
from .errors import MAX_ID
from .i18n import Words
from .problems import api_language
from .public_pages import register_entry
from .security import client_address, no_nul, runtime_of

router = APIRouter()
v1 = APIRouter(prefix="/api/v1")
_bearer = OAuth2PasswordBearer(tokenUrl="/api/token", auto_error=False)


class TokenAnswer(BaseModel):
    """A bearer token for the API."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int


class ActionOrder(BaseModel):
    """An action to take on a case, as the token's person."""

    action: str = Field(max_length=60)
    reason: str = Field(default="", max_length=4000)
    expected_version: int | None = Field(default=None, ge=1, le=MAX_ID)
    resolution: str | None = Field(default=None, max_length=80, description="the resolution a committee decision cites")

    @field_validator("action", "reason", "resolution")
    @classmethod
    def _no_nul(cls, value: str | None) -> str | None:
        if value is not None and "\x00" in value:
            raise ValueError("a NUL character cannot be stored")
        return value


class BoardAnswer(BaseModel):
    """A page of the board with the counts by stage of everything the filters match."""

    items: list[dict[str, Any]] = Field(description="the page's cases in case-id order")
    counts: dict[str, int] = Field(description="cases per stage (stages with none left out)")
    total: int = Field(description="the cases the filters match: more than `count_cap` when `capped`")
    capped: bool = Field(
        description=(
            "true when a due-date filter matches more than `count_cap` cases: counting stopped there, so each "
            "count in `counts` is a lower bound (at least that many) and `total` is `count_cap` + 1; false: "
            "every count is exact"
        )
    )
    count_cap: int = Field(description="the most cases a due-date filter's counts take (CAPEVAL_BOARD_COUNT_CAP)")
    next_after: int | None = Field(description="pass as `after` for the next page; null on the last")


def token_person(request: Request, token: Annotated[str | None, Depends(_bearer)]) -> SignedIn:
    """The person of the bearer token; NotPermitted (403 problem details) without a valid one."""
    return accounts.token_holder(runtime_of(request), token or "")


Person = Annotated[SignedIn, Depends(token_person)]
CaseId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post("/api/token", response_model=TokenAnswer, tags=["auth"])
def token(request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> TokenAnswer:
    """Exchange a username and password for a short-lived bearer token (OAuth2 password flow)."""
    no_nul(form.username, "username")
    issued, seconds = accounts.api_token_for_login(
        runtime_of(request), form.username, form.password, client_address(request)
    )
    return TokenAnswer(access_token=issued, expires_in=seconds)


@v1.get("/cases", tags=["cases"], response_model=BoardAnswer)
def list_cases(
    request: Request,
    who: Person,
    society: str | None = Query(default=None, max_length=40),
    stage: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI copies the default
    field: str | None = Query(default=None, max_length=40),
    due_within: int | None = Query(default=None, ge=0, le=250),
    overdue: bool = False,
    after: int | None = Query(default=None, ge=0, le=MAX_ID),
) -> dict[str, Any]:
    """The board of the societies the person is workgroup of (all for the secretariat), a page at a time:
    pass the answer's `next_after` as `after` for the next page (null on the last). Under `due_within` or
    `overdue` the counts stop after `count_cap` cases (`capped`: each count is then a lower bound)."""
    viewer = console.viewer(runtime_of(request), who.person_id)
    wanted = console.BoardFilter(society, tuple(stage), field, due_within, overdue, after)
    found = console.board_page(runtime_of(request), viewer, wanted)
    return {
        "items": [
            {**asdict(line.row), "working_days_left": line.working_days_left, "days_in_stage": line.days_in_stage}
            for line in found.lines
        ],
        "counts": found.counts,
        "total": found.total,
        "capped": found.capped,
        "count_cap": found.count_cap,
        "next_after": found.next_after,
    }


@v1.get("/cases/{case_id}", tags=["cases"])
def show_case(request: Request, who: Person, case_id: CaseId) -> dict[str, Any]:
    """One case, for those who hold a part on it."""
    console.case_parties_of(runtime_of(request), who.person_id, case_id)
    return queries.show(runtime_of(request), case_id)


@v1.get("/cases/{case_id}/actions", tags=["cases"])
def case_actions(request: Request, who: Person, case_id: CaseId) -> list[dict[str, Any]]:
    """The actions the person may take on the case, ready or blocked with the reasons."""
    held = console.case_parties_of(runtime_of(request), who.person_id, case_id)
    return [asdict(option) for option in console.case_options(runtime_of(request), case_id, held)]


@v1.post("/cases/{case_id}/actions", tags=["cases"])
def act(request: Request, who: Person, case_id: CaseId, order: ActionOrder) -> dict[str, Any]:
    """Take an action on the case as the token's person; refusals are problem details with the reasons."""
    runtime = runtime_of(request)
    with strangers_refused_first(runtime, who.person_id, case_id):
        command = _command(order, case_id, who.username)
    return asdict(take_action_as_party(runtime, command))


def _command(order: ActionOrder, case_id: int, username: str) -> TakeAction:
    try:
        action = Action(order.action)
    except ValueError:
        raise InputError("web_action_unknown", action=order.action, choices=[a.value for a in Action]) from None
    basis = CitedResolution(order.resolution) if order.resolution else None
    return TakeAction(case_id, action, username, order.reason, order.expected_version, basis)


@v1.get("/cases/{case_id}/documents", tags=["documents"])
def list_documents(request: Request, who: Person, case_id: CaseId) -> list[dict[str, Any]]:
    """The case's evidence with its documents (digest, name, type, size and the download address), for the
    people who may read the case's material."""
    found = case_documents.case_documents(runtime_of(request), case_id, who.username)
    return [
        {
            **asdict(item),
            "added_at": item.added_at.isoformat(),
            "download": f"/api/v1/cases/{case_id}/documents/{item.digest}" if item.digest else None,
        }
        for item in found
    ]


@v1.get(
    "/cases/{case_id}/documents/{digest}",
    tags=["documents"],
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}}}},
)
def download_document(request: Request, who: Person, case_id: CaseId, digest: Digest) -> Response:
    """One document of the case by its digest (or a unique prefix of 8 or more), as its stored media type."""
    found = case_documents.document_for(runtime_of(request), case_id, digest, who.username)
    return document_response(found, download=True)


@v1.get("/review-tasks", tags=["review"])
def review_tasks(request: Request, who: Person, open_only: bool = True) -> list[dict[str, Any]]:
    """The person's own review tasks, soonest due first."""
    return [asdict(task) for task in review_service.inbox(runtime_of(request), who.username, open_only=open_only)]


class CpdEntry(BaseModel):
    """One CPD activity to record (the fields of the ledger's activity mapping)."""

    kind: str = Field(max_length=40)
    date: str = Field(max_length=10, description="YYYY-MM-DD")
    minutes: int | None = Field(default=None, ge=0, le=100000)
    days: int | None = Field(default=None, ge=1, le=366)
    online: bool = False
    subject: str | None = Field(default=None, max_length=20)
    title: str = Field(default="", max_length=200)
    evidence: str = Field(default="", max_length=200)

    @field_validator("kind", "date", "subject", "title", "evidence")
    @classmethod
    def _no_nul(cls, value: str | None) -> str | None:
        if value is not None and "\x00" in value:
            raise ValueError("a NUL character cannot be stored")
        return value


Number = Annotated[str, Path(min_length=1, max_length=40)]


@v1.get("/certificates/{number}/cpd", tags=["cpd"])
def cpd_records(request: Request, who: Person, number: Number) -> dict[str, Any]:
    """The CPD ledger and the hours per year, for the holder and staff of the certificate's society."""
    member_console.certificate_parties_of(runtime_of(request), who.person_id, number)
    ledger = queries.cpd_ledger(runtime_of(request), number)
    years = queries.cpd_years(runtime_of(request), number)
    return {
        "registration_number": ledger.registration_number,
        "lines": [asdict(line) for line in ledger.lines],
        "years": [
            {
                "year": y.evaluation.year,
                "hours": y.evaluation.total,
                "compliant": y.evaluation.compliant,
                "shortfall": y.evaluation.shortfall,
                "exempt": y.exempt,
            }
            for y in years
        ],
    }


@v1.post("/certificates/{number}/cpd", tags=["cpd"])
def record_cpd(request: Request, who: Person, number: Number, entry: CpdEntry) -> dict[str, int]:
    """Record one activity in the ledger as the token's person (the holder, or staff of the society)."""
    member_console.certificate_parties_of(runtime_of(request), who.person_id, number)
    raw = {key: value for key, value in entry.model_dump().items() if value not in (None, "", False)}
    order = RecordCpdActivities(number, (parse_activity(raw, "activity"),), who.username)
    done = certificate_service.record_activities(runtime_of(request), order, [raw])
    return {"recorded": done.added, "already_recorded": done.already}


@v1.get("/register", tags=["register"])
def register(
    request: Request,
    number: str | None = Query(default=None, max_length=40),
    name: str | None = Query(default=None, max_length=100),
    society: str | None = Query(default=None, max_length=40),
    field: str | None = Query(default=None, max_length=40),
    limit: int = Query(default=public_register.PAGE_SIZE, ge=1, le=public_register.MAX_PAGE),
    after: str | None = Query(default=None, max_length=40),
) -> dict[str, Any]:
    """The public register (no token needed): by number, or by part of a name, with society and field filters.

    Name, level, field, society, validity and status in words (English unless Chinese is asked for);
    `next_after` is the `after` of the next page."""
    found = public_register.search_register(
        runtime_of(request), number=number, name=name, society=society, field=field, limit=limit, after=after
    )
    words = Words(api_language(request))
    return {"items": [register_entry(row, words) for row in found.rows], "next_after": found.next_after}


router.include_router(v1)
