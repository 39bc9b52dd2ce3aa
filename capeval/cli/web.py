"""`capeval web`: serve the web console and the HTTP API with uvicorn."""

from __future__ import annotations

import click

from .main import AppContext, pass_app

MAX_WORKERS = 32
WORKER_HEALTHCHECK_SECONDS = 60
"""How long uvicorn waits for a worker to answer its health check before killing it: a worker answers from a
thread of its own, which waits for Python's interpreter lock behind the requests being served, so uvicorn's
5 seconds killed busy workers (and the requests they were serving) on a loaded machine."""


@click.command("web")
@click.option("--host", default=None, help="Address to listen on (default: $CAPEVAL_WEB_HOST or 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default: $CAPEVAL_WEB_PORT or 8000).")
@click.option(
    "--workers",
    type=click.IntRange(1, MAX_WORKERS),
    default=1,
    show_default=True,
    help=f"Server processes, each with its own connections (1 to {MAX_WORKERS}; about one per CPU core).",
)
@pass_app
def command(app: AppContext, host: str | None, port: int | None, workers: int) -> None:
    """Serve the console (zh-CN first, English on request) and the API under /api/v1."""
    import uvicorn

    from capeval.web.app import create_app

    runtime = app.runtime  # the database is checked here, once, before any process starts
    host, port = host or app.settings.web_host, port or app.settings.web_port
    if workers == 1:
        uvicorn.run(create_app(runtime), host=host, port=port, log_level="info")
        return
    from capeval.web.serving import pass_on

    runtime.engine.dispose()
    pass_on(app.settings)
    uvicorn.run(
        "capeval.web.serving:worker_app",
        factory=True,
        workers=workers,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        host=host,
        port=port,
        log_level="info",
    )
