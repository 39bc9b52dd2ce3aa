"""Pages anyone reaches: the home page, signing in and out, the public register, one's own password."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from capeval.services import accounts, public_register
from capeval.states.errors import CapevalError, InputError, NotFoundError

from .i18n import Words, language
from .rendering import page
from .security import (
    LOGIN_CSRF_COOKIE,
    PostedForm,
    clear_session_cookie,
    client_address,
    cookie_options,
    csrf_checked,
    field_text,
    login_csrf_checked,
    new_login_csrf,
    runtime_of,
    set_session_cookie,
    signed_in,
)
from .viewing import current_viewer, optional_viewer

router = APIRouter(include_in_schema=False)


def _safe_next(target: str) -> str:
    """Only a path on this site (never another host) is followed after signing in."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    viewer = optional_viewer(request)
    if viewer is None:
        return RedirectResponse("/register", status_code=303)
    if viewer.staff:
        return RedirectResponse("/board", status_code=303)
    if viewer.examiner:
        return RedirectResponse("/inbox", status_code=303)
    return RedirectResponse("/my", status_code=303)


def _login_page(request: Request, status_code: int = 200, **context: object) -> Response:
    token = new_login_csrf()
    response = page(
        request,
        "login.html",
        status_code,
        login_csrf=token,
        next=_safe_next(request.query_params.get("next", "/")),
        **context,
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=3600, **cookie_options(request))
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    words = Words(language(request))
    notice = words.error(InputError("account_session_expired")) if request.query_params.get("expired") else None
    return _login_page(request, notice=notice, username="")


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, posted: PostedForm) -> Response:
    form = login_csrf_checked(request, posted)
    username = field_text(form, "username")
    password = form.get("password")
    try:
        opened = accounts.log_in(
            runtime_of(request), username, password if isinstance(password, str) else "", client_address(request)
        )
    except CapevalError as error:
        status = 429 if error.code == "account_login_throttled" else 401
        return _login_page(request, status, error=Words(language(request)).error(error), username=username)
    response = RedirectResponse(_safe_next(field_text(form, "next") or "/"), status_code=303)
    max_age = runtime_of(request).settings.web_session_minutes * 60
    set_session_cookie(request, response, opened.token, max_age)
    response.delete_cookie(LOGIN_CSRF_COOKIE, **cookie_options(request))
    return response


@router.post("/logout")
def logout(request: Request, posted: PostedForm) -> Response:
    who = signed_in(request)
    response = RedirectResponse("/login", status_code=303)
    if who is not None:
        csrf_checked(posted, who)
        token = request.cookies.get("capeval_session", "")
        accounts.log_out(runtime_of(request), token)
    clear_session_cookie(request, response)
    return response


@router.get("/account/password", response_class=HTMLResponse)
def password_form(request: Request) -> Response:
    current_viewer(request)
    return page(request, "password.html")


@router.post("/account/password", response_class=HTMLResponse)
def change_password(request: Request, posted: PostedForm) -> Response:
    who, _ = current_viewer(request)
    form = csrf_checked(posted, who)
    words = Words(language(request))
    current, new, again = (form.get(name) for name in ("current_password", "new_password", "repeat_password"))
    texts = [value if isinstance(value, str) else "" for value in (current, new, again)]
    try:
        if texts[1] != texts[2]:
            raise InputError("account_passwords_differ")
        accounts.change_password(
            runtime_of(request), who.person_id, texts[0], texts[1], keep_token=request.cookies.get("capeval_session")
        )
    except CapevalError as error:
        return page(request, "password.html", 422, error=words.error(error))
    return page(request, "password.html", notice=words.ui("password_changed"))


def register_entry(row: public_register.RegisterRow, words: Words) -> dict[str, object]:
    """A register row as the page and the API show it: number, name, validity, and the rest in words."""
    chinese = words.lang == "zh-CN"
    return {
        "registration_number": row.registration_number,
        "name": row.name,
        "level": words.label(row.level, "level"),
        "field": row.field_name_zh if chinese else row.field_name_en,
        "society": row.society_name_zh if chinese else row.society_name_en,
        "valid_from": row.valid_from,
        "valid_until": row.valid_until,
        "status": words.label(row.status, "certificate_status"),
    }


@router.get("/register", response_class=HTMLResponse)
def register(request: Request) -> Response:
    optional_viewer(request)
    params = request.query_params
    asked = {key: params.get(key, "").strip() for key in ("number", "name", "society", "field")}
    societies, fields = public_register.societies_and_fields(runtime_of(request))
    words = Words(language(request))
    context: dict[str, object] = {**asked, "societies": societies, "fields": fields, "results": None, "next": None}
    if not asked["number"] and not asked["name"] and not asked["society"]:
        return page(request, "register.html", **context)
    try:
        found = public_register.search_register(
            runtime_of(request),
            name=asked["name"],
            number=asked["number"],
            society=asked["society"],
            field=asked["field"],
            after=params.get("after"),
        )
    except CapevalError as error:
        status = 404 if isinstance(error, NotFoundError) else 422
        return page(request, "register.html", status, error=words.error(error), **context)
    base = {key: value for key, value in asked.items() if value}
    context.update(
        results=[register_entry(row, words) for row in found.rows],
        next=f"/register?{urlencode({**base, 'after': found.next_after})}" if found.next_after else None,
    )
    return page(request, "register.html", **context)
