"""Collecting the documents no row names any more: files kept for refused, withdrawn or abandoned drafts and
for replaced uploads.

A file is collected only when neither a document row nor an evidence row names its digest, and only when it
was written at least the grace period ago (an upload is kept before the row naming it is committed). The
store is listed first and the rows read after, batch by batch, and read again just before deleting, so a row
committed meanwhile still saves its file (and putting equal bytes again restarts their grace period). Only a
federation administrator collects; without `apply` nothing is deleted, only listed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice

from capeval.models.document_store import KeptFile
from capeval.states.authority import StaffRole
from capeval.states.errors import InputError, NotPermitted

from .authority import is_staff, person_acting
from .runtime import Runtime

GRACE_HOURS = 24
"""Files written less than this many hours ago are never collected (sources silent: one day covers any
upload still on its way to the row that names it)."""
BATCH = 500
"""Kept files checked against the rows per query."""


@dataclass(frozen=True)
class Collection:
    """What a collection found: the unnamed files old enough to go, and whether they were deleted."""

    files: list[KeptFile]
    bytes: int
    applied: bool
    referenced: int
    fresh: int


def _batches(files: Iterator[KeptFile]) -> Iterator[list[KeptFile]]:
    while batch := list(islice(files, BATCH)):
        yield batch


def collect_documents(
    runtime: Runtime, actor: str, *, older_than_hours: int = GRACE_HOURS, apply: bool = False
) -> Collection:
    """The kept files that no row names and that were written `older_than_hours` ago or earlier, deleted
    from the store when `apply`; `actor` must be a federation administrator."""
    if older_than_hours < 1:
        raise InputError("documents_gc_grace_too_short", hours=older_than_hours)
    with runtime.unit_of_work() as uow:
        person = person_acting(uow, actor)
        if not is_staff(uow, person, StaffRole.ADMINISTRATOR):
            raise NotPermitted("documents_gc_not_administrator", actor=person.name)
    cutoff = runtime.clock.now() - timedelta(hours=older_than_hours)
    store = runtime.documents
    unnamed: list[KeptFile] = []
    referenced = fresh = 0
    for batch in _batches(store.kept()):
        with runtime.unit_of_work() as uow:
            named = uow.documents.referenced_among([kept.digest for kept in batch])
        for kept in batch:
            if kept.digest in named:
                referenced += 1
            elif kept.written_at > cutoff:
                fresh += 1
            else:
                unnamed.append(kept)
    if apply:
        for batch in _batches(iter(unnamed)):
            with runtime.unit_of_work() as uow:
                named = uow.documents.referenced_among([kept.digest for kept in batch])
            for kept in batch:
                if kept.digest not in named:
                    store.delete(kept.digest)
        unnamed = [kept for kept in unnamed if not store.exists(kept.digest)]
    return Collection(unnamed, sum(kept.size for kept in unnamed), apply, referenced, fresh)
