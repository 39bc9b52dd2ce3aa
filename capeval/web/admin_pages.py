"""The administrator's page: the rules in force, the calendar years, a person's roles (granted and withdrawn
through the roles service, which checks the administrator), and long-lived API tokens."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from capeval.services import accounts, console_desks, roles
from capeval.states.authority import StaffRole
from capeval.states.errors import CapevalError

from .errors import status_of
from .i18n import Words, language
from .rendering import page
from .security import PostedForm, csrf_checked, field_text, no_nul, runtime_of
from .viewing import current_viewer

router = APIRouter(include_in_schema=False)


def _admin_page(request: Request, username: str, status: int = 200, **context: Any) -> Response:
    _, viewer = current_viewer(request)
    desk = console_desks.admin_desk(runtime_of(request), viewer, username)
    staff_roles = [role.value for role in StaffRole]
    return page(request, "admin.html", status, desk=desk, staff_roles=staff_roles, **context)


@router.get("/admin", response_class=HTMLResponse)
def admin(request: Request) -> Response:
    username = no_nul(request.query_params.get("username", "")[:60], "username")
    try:
        return _admin_page(request, username)
    except CapevalError as error:
        if error.code.startswith("console_admin"):
            raise
        return _admin_page(request, "", status_of(error), error=Words(language(request)).error(error))


@router.post("/admin/roles", response_class=HTMLResponse)
def change_role(request: Request, posted: PostedForm) -> Response:
    who, _ = current_viewer(request)
    form = csrf_checked(posted, who)
    username = field_text(form, "username")
    words = Words(language(request))
    try:
        role = roles.staff_role(field_text(form, "role"))
        society = field_text(form, "society") or None
        if field_text(form, "change") == "withdraw":
            roles.withdraw_role(runtime_of(request), username, role, society, who.username)
        else:
            roles.grant_role(runtime_of(request), username, role, society, who.username)
    except CapevalError as error:
        return _admin_page(request, "", status_of(error), error=words.error(error))
    return _admin_page(request, username, notice=words.ui("done"))


@router.post("/admin/tokens", response_class=HTMLResponse)
def issue_token(request: Request, posted: PostedForm) -> Response:
    who, _ = current_viewer(request)
    form = csrf_checked(posted, who)
    words = Words(language(request))
    try:
        token = accounts.issue_api_token(
            runtime_of(request), field_text(form, "username"), who.username, field_text(form, "label")
        )
    except CapevalError as error:
        return _admin_page(request, "", status_of(error), error=words.error(error))
    return _admin_page(request, "", notice=words.ui("token_issued"), issued=token)
