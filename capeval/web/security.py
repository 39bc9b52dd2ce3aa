"""Who the visitor is: the session cookie, the bearer token, CSRF checks on every form.

The acting person is always the session's (or token's) person, never a form field. A form carries the
session's CSRF token; the sign-in form, sent before there is a session, a double-submit token whose cookie
the sign-in page sets.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from starlette.datastructures import FormData

from capeval.services import console
from capeval.services.accounts import SignedIn
from capeval.services.console import Viewer
from capeval.services.runtime import Runtime
from capeval.states.errors import InputError, NotPermitted

SESSION_COOKIE = "capeval_session"
LOGIN_CSRF_COOKIE = "capeval_login_csrf"
CSRF_FIELD = "csrf_token"


class LoginRequired(Exception):
    """The page needs a signed-in person; `expired` when the session ran out."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("login required")
        self.expired = expired


class CsrfRefused(Exception):
    """A form arrived without the right CSRF token."""


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def is_tls(request: Request) -> bool:
    return request.url.scheme == "https"


def signed_in(request: Request) -> SignedIn | None:
    """The session's person, or None when there is no valid session (an ended one is dropped). Their roles
    are read with the session, in the same statement, for `session_roles`."""
    if hasattr(request.state, "signed_in"):
        found: SignedIn | None = request.state.signed_in
        return found
    token = request.cookies.get(SESSION_COOKIE)
    who = None
    roles = None
    request.state.session_expired = False
    if token:
        try:
            who, roles = console.session_viewer(runtime_of(request), token)
        except NotPermitted as error:
            request.state.session_expired = error.code == "account_session_expired"
    request.state.signed_in = who
    request.state.session_roles = roles
    return who


def session_roles(request: Request) -> Viewer | None:
    """The roles of the session's person as read with the session (None when nobody is signed in)."""
    signed_in(request)
    roles: Viewer | None = getattr(request.state, "session_roles", None)
    return roles


def require_person(request: Request) -> SignedIn:
    """The session's person; LoginRequired (a redirect to the sign-in page) when there is none."""
    who = signed_in(request)
    if who is None:
        raise LoginRequired(expired=bool(getattr(request.state, "session_expired", False)))
    return who


async def posted_form(request: Request) -> FormData:
    """The body of a POST form, read on the event loop, so that a plain `def` route (run in the thread pool,
    where its database work does not hold up other requests) gets it as a parameter."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]
"""A route parameter: the POST's form (check its CSRF token with `csrf_checked`)."""


def csrf_checked(form: FormData, who: SignedIn) -> FormData:
    """`form`, after checking its CSRF token against the session's."""
    sent = form.get(CSRF_FIELD)
    if not isinstance(sent, str) or not who.csrf_token or not hmac.compare_digest(sent, who.csrf_token):
        raise CsrfRefused()
    return form


def login_csrf_checked(request: Request, form: FormData) -> FormData:
    """The sign-in form, after checking its double-submit CSRF token."""
    sent = form.get(CSRF_FIELD)
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not isinstance(sent, str) or not cookie or not hmac.compare_digest(sent, cookie):
        raise CsrfRefused()
    return form


def new_login_csrf() -> str:
    return secrets.token_urlsafe(32)


def cookie_options(request: Request) -> dict[str, Any]:
    """HttpOnly, SameSite=Lax, Secure when served over TLS."""
    return {"httponly": True, "samesite": "lax", "secure": is_tls(request), "path": "/"}


def set_session_cookie(request: Request, response: Response, token: str, max_age: int) -> None:
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age, **cookie_options(request))


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, **cookie_options(request))


def field_text(form: FormData, name: str) -> str:
    """A text field of a form ('' when absent; an uploaded file is not text); a NUL character is refused."""
    value = form.get(name)
    text = value.strip() if isinstance(value, str) else ""
    return no_nul(text, name)


def no_nul(text: str, where: str) -> str:
    """`text`, unless it holds a NUL character (no database stores one): then an InputError."""
    if "\x00" in text:
        raise InputError("web_text_nul", where=where)
    return text
