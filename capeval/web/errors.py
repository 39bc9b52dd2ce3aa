"""The HTTP status of each kind of capeval error (pages and problem details alike)."""

from __future__ import annotations

from capeval.states.errors import (
    CalendarError,
    CapevalError,
    ConcurrencyConflict,
    DatabaseUnavailable,
    DomainError,
    InputError,
    NotFoundError,
    NotPermitted,
)

STATUS: tuple[tuple[type[CapevalError], int], ...] = (
    (DatabaseUnavailable, 503),
    (NotFoundError, 404),
    (NotPermitted, 403),
    (ConcurrencyConflict, 409),
    (DomainError, 409),
    (InputError, 422),
    (CalendarError, 422),
)
"""Input that cannot be used 422, unknown 404, not the person's to do 403, refused by a rule or changed by
someone else 409, the database unreachable, locked or out of time 503."""

MAX_ID = 2**31 - 1
"""The largest record id or version a request may name (both databases' integer columns)."""

CODE_STATUS = {"upload_too_large": 413}
"""Errors whose code answers with a status of its own (a file over the size limit: 413 Content Too Large)."""

TITLES = {
    413: "Content Too Large",
    404: "Not Found",
    403: "Forbidden",
    409: "Conflict",
    422: "Unprocessable Content",
    400: "Bad Request",
    503: "Service Unavailable",
}


def status_of(error: CapevalError) -> int:
    """The HTTP status a capeval error is answered with (400 for any other kind)."""
    if error.code in CODE_STATUS:
        return CODE_STATUS[error.code]
    for kind, status in STATUS:
        if isinstance(error, kind):
            return status
    return 400
