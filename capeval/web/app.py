"""The application factory: `create_app(runtime)` (the runtime from `bootstrap(settings)`)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from capeval.services.bootstrap import database_error
from capeval.services.runtime import Runtime
from capeval.states.errors import CapevalError, DatabaseUnavailable, InputError

from . import (
    admin_pages,
    api,
    case_pages,
    committee_pages,
    examiner_pages,
    interview_pages,
    link_pages,
    member_pages,
    public_pages,
)
from .errors import status_of
from .i18n import Words, language
from .problems import api_language, of_error, problem
from .rendering import page
from .security import CsrfRefused, LoginRequired, clear_session_cookie
from .server_timing import ServerTiming


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(runtime: Runtime) -> FastAPI:
    """The console and the API over `runtime`; nothing here opens the database but the services."""
    app = FastAPI(
        title="capeval",
        summary="Engineering capability evaluation: the HTTP API",
        version="1",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.runtime = runtime
    app.mount("/static", StaticFiles(packages=[("capeval.web", "static")]), name="static")
    app.include_router(api.router)
    app.include_router(public_pages.router)
    app.include_router(case_pages.router)
    app.include_router(examiner_pages.router)
    app.include_router(committee_pages.router)
    app.include_router(member_pages.router)
    app.include_router(interview_pages.router)
    app.include_router(admin_pages.router)
    app.include_router(link_pages.router)
    _handle_errors(app)

    app.add_middleware(RefuseNul)
    app.add_middleware(ServerTiming)
    return app


class RefuseNul:
    """Answers a request whose path or query carries a NUL with the coded 422, before any route runs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (b"%00" in scope.get("query_string", b"") or "\x00" in scope["path"]):
            request = Request(scope, receive)
            error = InputError("web_text_nul", where="query")
            if _is_api(request):
                answer: Response = of_error(request, error)
            else:
                answer = _error_page(request, 422, Words(language(request)).error(error))
            await answer(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _error_page(request: Request, status: int, message: str) -> Response:
    return page(request, "error.html", status, error=message)


def _handle_errors(app: FastAPI) -> None:
    @app.exception_handler(CapevalError)
    async def capeval_error(request: Request, error: CapevalError) -> Response:
        if _is_api(request):
            return of_error(request, error)
        return _error_page(request, status_of(error), Words(language(request)).error(error))

    @app.exception_handler(SQLAlchemyError)
    async def database_failed(request: Request, error: SQLAlchemyError) -> Response:
        runtime: Runtime = request.app.state.runtime
        coded = database_error(error, runtime.settings) or DatabaseUnavailable(
            "database_failed", where="-", kind=type(error).__name__, state="-"
        )
        if not hasattr(request.state, "signed_in"):
            request.state.signed_in = None  # the error page must not ask the database who is signed in
        return await capeval_error(request, coded)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, error: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        suffix = "&expired=1" if error.expired else ""
        response = RedirectResponse(f"/login?next={quote(target)}{suffix}", status_code=303)
        if error.expired:
            clear_session_cookie(request, response)
        return response

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, error: CsrfRefused) -> Response:
        message = Words(language(request)).error(InputError("web_csrf_invalid"))
        return _error_page(request, 403, message)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        first = error.errors()[0] if error.errors() else {"loc": ("request",), "msg": "invalid"}
        where = ".".join(str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path"))
        coded = InputError("web_input_invalid", where=where or "request", problem=first.get("msg", ""))
        if _is_api(request):
            return problem(
                request,
                422,
                coded.code,
                coded.text(api_language(request)),
                errors=[
                    {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg", "")}
                    for e in error.errors()
                ],
            )
        return _error_page(request, 422, Words(language(request)).error(coded))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        if error.status_code == 404:
            coded = InputError("web_not_found")
        elif error.status_code == 405:
            coded = InputError("web_method_not_allowed")
        else:
            coded = InputError("web_input_invalid", where="request", problem=error.detail)
        if _is_api(request):
            return problem(request, error.status_code, coded.code, coded.text(api_language(request)))
        return _error_page(request, error.status_code, Words(language(request)).error(coded))
