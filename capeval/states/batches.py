"""Evaluation batches (评价批次, Q&A Q19): the days a society's batch takes new applications, and "a later
batch" judged by those days.

A society that declares no batch does not use them: no check is made (the batch a case names is then only a
label, as before). A society that declares batches takes a new application only into a batch it declared that
is open on the day of submission; an applicant whose case in the field was rejected in a declared batch
applies again only in a batch opening after that one closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .errors import Problem
from .messages import Term


@dataclass(frozen=True)
class DeclaredBatch:
    """One batch as the society declared it: open from `opens_on` through `closes_on`, both included."""

    name: str
    opens_on: date
    closes_on: date

    def open_on(self, day: date) -> bool:
        return self.opens_on <= day <= self.closes_on


@dataclass(frozen=True)
class BatchStanding:
    """What the batch rules read about a case: the society's batches, the batch the case names, and the
    batch named by each rejected case of the same person in the same field (case id, batch name)."""

    declared: tuple[DeclaredBatch, ...]
    case_batch: str
    rejected: tuple[tuple[int, str], ...] = ()

    def find(self, name: str) -> DeclaredBatch | None:
        return next((batch for batch in self.declared if batch.name == name.strip()), None)


def open_batches(standing: BatchStanding, day: date) -> list[str] | Term:
    """The names of the batches open on `day` (the word "none" when there is none)."""
    names = [batch.name for batch in standing.declared if batch.open_on(day)]
    return names if names else Term("batch_none_open")


def batch_open_problem(standing: BatchStanding | None, today: date) -> Problem | None:
    """Why a new application cannot be submitted into the batch it names today, or None."""
    if standing is None or not standing.declared:
        return None
    batch = standing.find(standing.case_batch)
    choices = open_batches(standing, today)
    if batch is None:
        return Problem("guard_batch_not_declared", {"batch": standing.case_batch.strip(), "open": choices})
    if batch.open_on(today):
        return None
    return Problem(
        "guard_batch_not_open",
        {"batch": batch.name, "opens_on": batch.opens_on, "closes_on": batch.closes_on, "open": choices},
    )


def later_batch_problem(standing: BatchStanding | None) -> Problem | None:
    """Why the case's batch is not later than a batch the applicant was rejected in, or None."""
    if standing is None:
        return None
    batch = standing.find(standing.case_batch)
    if batch is None:
        return None
    for case_id, name in standing.rejected:
        earlier = standing.find(name)
        if earlier is not None and earlier.name != batch.name and batch.opens_on <= earlier.closes_on:
            return Problem(
                "guard_batch_not_later",
                {
                    "batch": batch.name,
                    "opens_on": batch.opens_on,
                    "case": case_id,
                    "earlier": earlier.name,
                    "closed_on": earlier.closes_on,
                },
            )
    return None
