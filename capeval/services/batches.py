"""A society declares its evaluation batches (评价批次, Q&A Q19): open one with its days, close one early,
list them. Declaring is the society's staff's (its workgroup or administrator); the submission guards read
the batches (`capeval.states.batches`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from capeval.models import EvaluationBatch, Society
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.authority import require
from capeval.states.certificates import Party
from capeval.states.errors import InputError, NotFoundError

from .authority import society_actor
from .runtime import Runtime

if TYPE_CHECKING:
    from .documents import Fields

BATCH_KEYS = ("name", "from", "until")


@dataclass(frozen=True)
class BatchLine:
    """One declared batch as shown: its days and whether it is open today."""

    name: str
    opens_on: date
    closes_on: date
    open_today: bool
    declared_by: str


def _society(uow: UnitOfWork, code: str) -> Society:
    society = uow.directory.society_by_code(code.strip())
    if society is None or society.id is None:
        raise NotFoundError("batch_society_not_found", code=code)
    return society


def _line(row: EvaluationBatch, today: date) -> BatchLine:
    return BatchLine(row.name, row.opens_on, row.closes_on, row.opens_on <= today <= row.closes_on, row.declared_by)


def open_batch(
    runtime: Runtime, society_code: str, name: str, opens_on: date, closes_on: date, actor: str
) -> BatchLine:
    """Declare the batch `name` of a society, open from `opens_on` through `closes_on`."""
    name = name.strip()
    if not name:
        raise InputError("batch_name_missing")
    if closes_on < opens_on:
        raise InputError("batch_days_reversed", name=name, opens_on=opens_on, closes_on=closes_on)
    with runtime.unit_of_work() as uow:
        society = _society(uow, society_code)
        assert society.id is not None
        require(society_actor(uow, actor, society.id), Party.SOCIETY_STAFF, "open_batch")
        existing = uow.batches.named(society.id, name)
        if existing is not None:
            raise InputError("batch_exists", name=name, opens_on=existing.opens_on, closes_on=existing.closes_on)
        row = EvaluationBatch(
            society_id=society.id,
            name=name,
            opens_on=opens_on,
            closes_on=closes_on,
            declared_by=actor.strip(),
            declared_at=runtime.clock.now(),
        )
        uow.batches.add(row)
        uow.commit()
        return _line(row, runtime.today())


def close_batch(runtime: Runtime, society_code: str, name: str, on: date, actor: str) -> BatchLine:
    """Close the batch `name` on `on` (its last day of taking applications), never before it opens."""
    with runtime.unit_of_work() as uow:
        society = _society(uow, society_code)
        assert society.id is not None
        require(society_actor(uow, actor, society.id), Party.SOCIETY_STAFF, "close_batch")
        row = uow.batches.named(society.id, name.strip())
        if row is None:
            choices = [b.name for b in uow.batches.of_society(society.id)]
            raise NotFoundError("batch_not_found", name=name, choices=choices)
        if on < row.opens_on:
            raise InputError("batch_days_reversed", name=row.name, opens_on=row.opens_on, closes_on=on)
        row.closes_on = on
        uow.commit()
        return _line(row, runtime.today())


def list_batches(runtime: Runtime, society_code: str) -> list[BatchLine]:
    """The society's batches by opening day, each with whether it is open today."""
    with runtime.unit_of_work() as uow:
        society = _society(uow, society_code)
        assert society.id is not None
        today = runtime.today()
        return [_line(row, today) for row in uow.batches.of_society(society.id)]


def load_batches(uow: UnitOfWork, society_id: int, items: Sequence[Fields], declared_by: str, now: datetime) -> int:
    """Declare the `[[batch]]` entries of a directory file (name, from, until): a new name is added, a known
    one takes the file's days; batches the file does not name are kept. Checked whole before anything is
    written by the caller's commit: a duplicate name, reversed days or an unknown key is one line."""
    seen: dict[str, str] = {}
    for item in items:
        unknown = sorted(str(key) for key in item.data if key not in BATCH_KEYS)
        if unknown:
            raise InputError("batch_key_unknown", where=item.where, keys=unknown, known=list(BATCH_KEYS))
        name = item.text("name").strip()
        opens_on, closes_on = item.day("from"), item.day("until")
        if closes_on < opens_on:
            raise InputError(
                "batch_file_days_reversed", where=item.where, name=name, opens_on=opens_on, closes_on=closes_on
            )
        if name in seen:
            raise InputError("batch_named_twice", where=item.where, name=name, first=seen[name])
        seen[name] = item.where
        row = uow.batches.named(society_id, name)
        if row is None:
            row = EvaluationBatch(
                society_id=society_id,
                name=name,
                opens_on=opens_on,
                closes_on=closes_on,
                declared_by=declared_by[:100],
                declared_at=now,
            )
            uow.batches.add(row)
        row.opens_on, row.closes_on = opens_on, closes_on
    return len(items)
