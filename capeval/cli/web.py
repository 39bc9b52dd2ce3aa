"""`capeval web`: serve the web console and the HTTP API with uvicorn."""

from __future__ import annotations

import click

from .main import AppContext, pass_app


@click.command("web")
@click.option("--host", default=None, help="Address to listen on (default: $CAPEVAL_WEB_HOST or 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default: $CAPEVAL_WEB_PORT or 8000).")
@pass_app
def command(app: AppContext, host: str | None, port: int | None) -> None:
    """Serve the console (zh-CN first, English on request) and the API under /api/v1."""
    import uvicorn

    from capeval.web.app import create_app

    application = create_app(app.runtime)
    uvicorn.run(application, host=host or app.settings.web_host, port=port or app.settings.web_port, log_level="info")
