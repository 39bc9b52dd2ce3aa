"""The case a path names: its id (`4`) or its reference (`DES-2026-0004`), as emails link to it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from capeval.services.references import case_id_for
from capeval.states.errors import InputError, NotFoundError

from .errors import MAX_ID
from .security import runtime_of


def case_key(request: Request, case_id: Annotated[str, Path(min_length=1, max_length=40)]) -> int:
    """The id of the case `case_id` names; an unknown or malformed one is a 404 saying so."""
    try:
        found = case_id_for(runtime_of(request), case_id)
    except InputError as error:
        raise NotFoundError(error.code, **error.params) from None
    if not 1 <= found <= MAX_ID:
        raise NotFoundError("web_case_key_out_of_range", text=case_id[:40])
    return found


CaseKey = Annotated[int, Depends(case_key)]
"""A case id from the path, found by id or reference."""
