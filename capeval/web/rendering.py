"""Server-rendered pages: one Jinja2 environment (autoescape on, undefined names an error), each template
compiled once for the process (no check of the template files on every page)."""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, StrictUndefined

from .i18n import LANGUAGE_COOKIE, Words, language
from .security import cookie_options, signed_in


@cache
def templates() -> Jinja2Templates:
    env = Environment(
        loader=PackageLoader("capeval.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    return Jinja2Templates(env=env)


def _switch_link(request: Request, lang: str) -> str:
    params = dict(request.query_params)
    params["lang"] = "en" if lang == "zh-CN" else "zh-CN"
    return f"{request.url.path}?{urlencode(params)}"


def page(request: Request, template: str, status_code: int = 200, /, **context: Any) -> HTMLResponse:
    """Render `template` in the visitor's language, with who is signed in and their CSRF token."""
    lang = language(request)
    who = signed_in(request)
    viewer = getattr(request.state, "viewer", None)
    values = {
        "request": request,
        "words": Words(lang),
        "lang": lang,
        "who": who,
        "viewer": viewer,
        "csrf": who.csrf_token if who else "",
        "switch_link": _switch_link(request, lang),
        "error": None,
        "notice": None,
        **context,
    }
    response = templates().TemplateResponse(request, template, values, status_code=status_code)
    if request.query_params.get("lang"):
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 24 * 3600, **cookie_options(request))
    return response
