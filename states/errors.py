"""The one error hierarchy of capeval.

Every error a person can cause carries a message that says what is wrong and how to fix it;
the CLI prints that message on one line and exits with code 2.

    CapevalError
    ├── InputError              a file or argument is malformed (names the field)
    ├── NotFoundError           a case, person, society or field does not exist
    ├── DomainError             a rule of the domain refuses the request
    │   ├── GuardRefused        a named guard said no; carries the guard name and reason
    │   └── IllegalTransition   the action is not allowed in the current stage; lists allowed actions
    ├── ConcurrencyConflict     someone else changed the case first; nothing was written
    └── CalendarError           the working-day calendar cannot answer
        └── UnpublishedYearError  a date falls in a year with no published holiday schedule
"""

from __future__ import annotations

from collections.abc import Sequence


class CapevalError(Exception):
    """Base of every error capeval raises on purpose."""


class InputError(CapevalError):
    """A file or argument is malformed; the message names the field and the expected form."""


class NotFoundError(CapevalError):
    """A referenced record does not exist."""


class DomainError(CapevalError):
    """A rule of the domain refuses the request."""


class GuardRefused(DomainError):
    """A named guard refused a transition."""

    def __init__(self, guard: str, reason: str) -> None:
        super().__init__(reason)
        self.guard = guard
        self.reason = reason


class IllegalTransition(DomainError):
    """The requested action is not possible from the current stage."""

    def __init__(self, stage: str, action: str, allowed: Sequence[str]) -> None:
        allowed_text = ", ".join(allowed) if allowed else "none (the case is closed)"
        super().__init__(f"action '{action}' is not allowed in stage '{stage}'; allowed now: {allowed_text}")
        self.stage = stage
        self.action = action
        self.allowed = tuple(allowed)


class ConcurrencyConflict(CapevalError):
    """The record was changed by someone else since it was read; nothing was written."""


class CalendarError(CapevalError):
    """The working-day calendar cannot answer the question."""


class UnpublishedYearError(CalendarError):
    """A date computation reached a year whose holiday schedule has not been published or loaded."""

    def __init__(self, year: int, published: Sequence[int]) -> None:
        span = f"{min(published)}-{max(published)}" if published else "none"
        super().__init__(
            f"no holiday schedule is loaded for {year} (loaded years: {span}); "
            f"import the State Council schedule for {year} with 'capeval calendar import FILE'"
        )
        self.year = year
