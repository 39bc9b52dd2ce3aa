"""Replaying a history: whether the lines of a record's history explain where the record stands.

Every kind of record with a history (an evaluation case, a certificate, a review task, a governance case)
keeps one line per change. A history explains its record when

- its first line opens the record: no previous stage, the ledger's opening action, the workflow's first
  stage (and version 1 where versions are counted);
- each later line starts where the line before left the record, and is either a move of the record's
  workflow (action, from, to as the move table has them, for the record's route) or one of the ledger's
  standing actions, which leave the stage where it is (a revision of the material, a supplement, a refused
  renewal);
- where versions are counted, each line raises the version by one, and the record's version is the last
  line's (plus the raises the code makes without a line, which the caller names);
- the record's stage is the last line's, and each action the record counts (a certificate's renewals)
  has as many lines.

`unexplained` returns the first thing a history fails to explain, as a coded Problem, or None.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import pairwise
from typing import Any

from .engine import Workflow
from .errors import Problem
from .messages import Term


@dataclass(frozen=True)
class Line:
    """One line of a history as stored: the stage it leaves (None for the first), the one it reaches."""

    from_stage: str | None
    to_stage: str
    action: str
    version: int | None = None


@dataclass(frozen=True)
class Ledger:
    """How one kind of history is replayed: its workflow, its opening action, the actions that keep the stage,
    whether each line raises the record's version, and the actions whose lines keep the version (a line
    written before they kept it, one version up, is explained too)."""

    workflow: Workflow[Any, Any]
    opening: str
    standing: frozenset[str] = frozenset()
    versioned: bool = False
    unversioned: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Standing:
    """A record as it stands: what its history has to explain.

    `version` is None where the history does not count versions; `unrecorded_versions` the raises of the
    version the code makes without a line; `counts` how many lines of an action the record counts.
    """

    subject: Term
    stage: str
    version: int | None = None
    route: StrEnum | None = None
    unrecorded_versions: int = 0
    counts: Mapping[str, int] = field(default_factory=dict)


def unexplained(ledger: Ledger, record: Standing, lines: Sequence[Line]) -> Problem | None:
    """The first thing `lines` (oldest first) fail to explain about `record`, or None when they explain it."""
    subject = record.subject
    if not lines:
        return Problem("history_missing", {"subject": subject})
    problem = _opening(ledger, subject, lines[0])
    if problem is not None:
        return problem
    for number, (before, line) in enumerate(pairwise(lines), start=2):
        problem = _step(ledger, record, number, before, line)
        if problem is not None:
            return problem
    return _end(ledger, record, lines)


def _opening(ledger: Ledger, subject: Term, first: Line) -> Problem | None:
    initial = ledger.workflow.initial.value
    if first.from_stage is not None or first.action != ledger.opening or first.to_stage != initial:
        return Problem(
            "history_opening",
            {
                "subject": subject,
                "action": first.action,
                "from_stage": first.from_stage or "-",
                "to_stage": first.to_stage,
                "opening": ledger.opening,
                "initial": initial,
            },
        )
    if ledger.versioned and first.version != 1:
        return _skipped(subject, 1, first.version, 1)
    return None


def _step(ledger: Ledger, record: Standing, number: int, before: Line, line: Line) -> Problem | None:
    subject = record.subject
    if line.from_stage != before.to_stage:
        return Problem(
            "history_chain_broken",
            {"subject": subject, "line": number, "from_stage": line.from_stage or "-", "previous": before.to_stage},
        )
    if not _allowed(ledger, record.route, line):
        return Problem(
            "history_move_unknown",
            {
                "subject": subject,
                "line": number,
                "action": line.action,
                "from_stage": line.from_stage or "-",
                "to_stage": line.to_stage,
                "workflow": ledger.workflow.name,
            },
        )
    if ledger.versioned and (before.version is None or line.version not in _versions_after(ledger, before, line)):
        return _skipped(subject, number, line.version, (before.version or 0) + 1)
    return None


def _versions_after(ledger: Ledger, before: Line, line: Line) -> tuple[int, ...]:
    """The versions `line` may be at after `before`: one up, or the same for an action keeping the version."""
    assert before.version is not None
    raised = before.version + 1
    return (before.version, raised) if line.action in ledger.unversioned else (raised,)


def _skipped(subject: Term, number: int, version: int | None, expected: int) -> Problem:
    params = {"subject": subject, "line": number, "version": version, "expected": expected}
    return Problem("history_version_skipped", params)


def _allowed(ledger: Ledger, route: StrEnum | None, line: Line) -> bool:
    if line.action in ledger.standing:
        return line.from_stage == line.to_stage
    stages = ledger.workflow.stages
    try:
        source = stages(line.from_stage)
    except ValueError:
        return False
    moves = ledger.workflow.moves_from(source, route)
    return any(move.action.value == line.action and move.dest.value == line.to_stage for move in moves)


def _end(ledger: Ledger, record: Standing, lines: Sequence[Line]) -> Problem | None:
    subject, last = record.subject, lines[-1]
    if last.to_stage != record.stage:
        return Problem("history_stage_unexplained", {"subject": subject, "stage": record.stage, "last": last.to_stage})
    if ledger.versioned and record.version is not None:
        explained = (last.version or 0) + record.unrecorded_versions
        if record.version != explained:
            return Problem(
                "history_version_unexplained", {"subject": subject, "version": record.version, "explained": explained}
            )
    for action, counted in sorted(record.counts.items()):
        found = sum(1 for line in lines if line.action == action)
        if found != counted:
            return Problem(
                "history_count_unexplained", {"subject": subject, "action": action, "counted": counted, "lines": found}
            )
    return None
