"""The console for each process of `capeval web --workers N`: its settings from the environment, which the
command sets from its own options before uvicorn starts the processes, and a runtime of its own."""

from __future__ import annotations

import os

from fastapi import FastAPI

from capeval.services.bootstrap import bootstrap
from capeval.settings import ENV_PREFIX, Settings

from .app import create_app

PASSED_ON = ("database_url", "now", "policy_file", "lang")
"""The settings the command's global options can set, handed to the worker processes through the
environment (everything else comes from it already)."""


def pass_on(settings: Settings) -> None:
    """Put the settings of `PASSED_ON` into this process's environment, which the workers inherit."""
    for name in PASSED_ON:
        value = getattr(settings, name)
        if value is not None:
            os.environ[ENV_PREFIX + name.upper()] = value.isoformat() if name == "now" else str(value)


def worker_app() -> FastAPI:
    """The application of one worker process (uvicorn's factory)."""
    return create_app(bootstrap(Settings.load()))
