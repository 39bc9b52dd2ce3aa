"""The one error hierarchy of capeval: errors are data.

Every error a person can cause carries a stable `code`, its parameters and, through the message catalog
(`states/messages/*.toml`), a message in English and zh-CN plus an optional hint that names the action
that fixes it ("give a reason", "resubmit before 2026-02-27"), never a CLI flag. The edge renders it:
the CLI prints one line and exits with code 2 (adding its own flags), the web shows it on the page, the
API returns it as problem details. `str(error)` is the English message and hint on one line.

    CapevalError
    ├── InputError              a file or argument is malformed (names the field)
    ├── NotFoundError           a case, person, society or field does not exist
    ├── DomainError             a rule of the domain refuses the request
    │   ├── GuardRefused        named guards said no; carries their names and reasons
    │   └── IllegalTransition   the action is not allowed in the current stage; lists allowed actions
    ├── NotPermitted            the person acting does not hold the role the step needs
    ├── ConcurrencyConflict     someone else changed the record first; nothing was written
    ├── CalendarError           the working-day calendar cannot answer
    │   └── UnpublishedYearError  a date falls in a year with no published holiday schedule
    └── DatabaseUnavailable     the database cannot be reached, is locked, or ran out of time
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .messages import CATALOG_WORDING, Wording, render_hint, render_message, render_text


@dataclass(frozen=True)
class Problem:
    """A coded message: what went wrong (`code`, a key of the message catalog) and its parameters."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def message(self, language: str = "en") -> str:
        """The message in `language` ("en" or "zh-CN")."""
        return render_message(self.code, self.params, language)

    def hint(self, language: str = "en") -> str | None:
        """What to do about it, when the catalog says."""
        return render_hint(self.code, self.params, language)

    def text(self, language: str = "en", wording: Wording = CATALOG_WORDING) -> str:
        """The message and its hint on one line, in an edge's own `wording` where it has some."""
        return render_text(self.code, self.params, language, wording)

    def __str__(self) -> str:
        return self.text("en")


def as_problem(reason: Problem | str) -> Problem:
    """A coded reason as is; transitional: an English text not yet coded becomes a Problem showing it."""
    return reason if isinstance(reason, Problem) else Problem(reason)


class CapevalError(Exception):
    """Base of every error capeval raises on purpose: `raise InputError("code", name=value, ...)`."""

    def __init__(self, code: str, /, **params: Any) -> None:
        self.problem = Problem(code, params)
        super().__init__(self.problem.text("en"))

    @property
    def code(self) -> str:
        return self.problem.code

    @property
    def params(self) -> Mapping[str, Any]:
        return self.problem.params

    def message(self, language: str = "en") -> str:
        """The message in `language`."""
        return self.problem.message(language)

    def hint(self, language: str = "en") -> str | None:
        """What to do about it, in `language`, when the catalog says."""
        return self.problem.hint(language)

    def text(self, language: str = "en", wording: Wording = CATALOG_WORDING) -> str:
        """Message and hint on one line (`str(error)` is this in English)."""
        return self.problem.text(language, wording)


class InputError(CapevalError):
    """A file or argument is malformed; the message names the field and the expected form."""


class NotFoundError(CapevalError):
    """A referenced record does not exist."""


class DomainError(CapevalError):
    """A rule of the domain refuses the request."""


class GuardRefused(DomainError):
    """Named guards refused a move; `reasons` are their coded reasons, in table order.

    Each reason is a Problem; an English text not yet coded is accepted for now and shown as is.
    """

    def __init__(self, refusals: Sequence[tuple[str, Problem | str]]) -> None:
        self.refusals = tuple((name, as_problem(reason)) for name, reason in refusals)
        self.reasons = tuple(problem for _, problem in self.refusals)
        super().__init__("guard_refused", reasons=self.reasons)
        self.guard = ", ".join(name for name, _ in self.refusals)
        self.reason = self.text("en")


class IllegalTransition(DomainError):
    """The requested action is not possible from the current stage."""

    def __init__(self, stage: str, action: str, allowed: Sequence[str]) -> None:
        code = "illegal_transition" if allowed else "illegal_transition_closed"
        super().__init__(code, stage=stage, action=action, allowed=list(allowed))
        self.stage = stage
        self.action = action
        self.allowed = tuple(allowed)


class NotPermitted(CapevalError):
    """The person acting does not hold the role the step needs (or is unknown); nothing was written."""


class ConcurrencyConflict(CapevalError):
    """The record was changed by someone else since it was read; nothing was written."""


class CalendarError(CapevalError):
    """The working-day calendar cannot answer the question."""


class UnpublishedYearError(CalendarError):
    """A date computation reached a year whose holiday schedule has not been published or loaded."""

    def __init__(self, year: int, published: Sequence[int]) -> None:
        span = f"{min(published)}-{max(published)}" if published else "none"
        super().__init__("unpublished_year", year=year, loaded=span)
        self.year = year


class DatabaseUnavailable(CapevalError):
    """The database cannot be reached, another process holds a lock, or a statement ran out of time.

    Its message names the server (host:port or the SQLite file), never a statement, parameters or password.
    """
