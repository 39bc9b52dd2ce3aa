"""The signed-in person and their roles for a page (kept on the request for the layout's menu)."""

from __future__ import annotations

from fastapi import Request

from capeval.services import console
from capeval.services.accounts import SignedIn
from capeval.services.console import Viewer

from .security import require_person, runtime_of, signed_in


def current_viewer(request: Request) -> tuple[SignedIn, Viewer]:
    """The session's person and their roles; LoginRequired when nobody is signed in."""
    who = require_person(request)
    found = console.viewer(runtime_of(request), who.person_id)
    request.state.viewer = found
    return who, found


def optional_viewer(request: Request) -> Viewer | None:
    """The roles of whoever is signed in, or None for the public."""
    who = signed_in(request)
    if who is None:
        return None
    found = console.viewer(runtime_of(request), who.person_id)
    request.state.viewer = found
    return found
