"""RFC 9457 problem details for the API: the domain error's code and message, in the asked language."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from capeval.states.errors import CapevalError, GuardRefused
from capeval.states.messages import language_of

from .errors import TITLES, status_of

MEDIA_TYPE = "application/problem+json"


def api_language(request: Request) -> str:
    """English unless the client asks for Chinese (Accept-Language or ?lang=)."""
    return language_of(request.query_params.get("lang") or request.headers.get("accept-language", "en")[:5])


def problem(request: Request, status: int, code: str, detail: str, **extra: Any) -> JSONResponse:
    body = {
        "type": f"/api/problems/{code}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.url.path,
        **extra,
    }
    headers = {"WWW-Authenticate": "Bearer"} if code.startswith("account_token") else None
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def of_error(request: Request, error: CapevalError) -> JSONResponse:
    lang = api_language(request)
    extra: dict[str, Any] = {}
    if isinstance(error, GuardRefused):
        extra["reasons"] = [
            {"guard": name, "code": reason.code, "message": reason.text(lang)} for name, reason in error.refusals
        ]
    status = status_of(error)
    if error.code.startswith("account_token") or error.code == "account_login_failed":
        status = 401
    return problem(request, status, error.code, error.text(lang), **extra)
