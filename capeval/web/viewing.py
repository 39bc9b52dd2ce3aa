"""The signed-in person and their roles for a page (kept on the request for the layout's menu)."""

from __future__ import annotations

from fastapi import Request

from capeval.services.accounts import SignedIn
from capeval.services.console import Viewer

from .security import require_person, session_roles


def current_viewer(request: Request) -> tuple[SignedIn, Viewer]:
    """The session's person and their roles; LoginRequired when nobody is signed in."""
    who = require_person(request)
    found = session_roles(request)
    assert found is not None  # read with the session
    request.state.viewer = found
    return who, found


def optional_viewer(request: Request) -> Viewer | None:
    """The roles of whoever is signed in, or None for the public."""
    found = session_roles(request)
    if found is not None:
        request.state.viewer = found
    return found
