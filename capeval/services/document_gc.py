"""Collecting the documents no row names any more: files kept for refused, withdrawn or abandoned drafts and
for replaced uploads.

A file is collected only when neither a document row nor an evidence row names its digest, and only when it
was written at least the grace period ago (an upload is kept before the row naming it is committed). The
store is listed first and the rows read after, batch by batch, and read again just before deleting, so a row
committed meanwhile still saves its file (and putting equal bytes again restarts their grace period). Only a
federation administrator collects; without `apply` nothing is deleted, only listed.

The temporary files an interrupted upload left in the store (`leftovers`) go the same way: past the same
grace period (a write still under way is younger), listed without `apply`, deleted with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice

from capeval.models.document_store import KeptFile, Leftover
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
    """What a collection found: the unnamed files and the temporary files of interrupted uploads old enough to
    go, and whether they were deleted; `fresh` counts both kinds kept for being too recent."""

    files: list[KeptFile]
    bytes: int
    applied: bool
    referenced: int
    fresh: int
    leftovers: list[Leftover] = field(default_factory=list)
    leftover_bytes: int = 0


def _batches(files: Iterator[KeptFile]) -> Iterator[list[KeptFile]]:
    while batch := list(islice(files, BATCH)):
        yield batch


def collect_documents(
    runtime: Runtime, actor: str, *, older_than_hours: int = GRACE_HOURS, apply: bool = False
) -> Collection:
    """The kept files that no row names, and the temporary files of interrupted uploads, written
    `older_than_hours` ago or earlier, deleted from the store when `apply`; `actor` must be a federation
    administrator."""
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
    leftovers: list[Leftover] = []
    for item in store.leftovers():
        if item.written_at > cutoff:
            fresh += 1
        else:
            leftovers.append(item)
    if apply:
        for item in leftovers:
            store.delete_leftover(item.name)
    return Collection(
        unnamed,
        sum(kept.size for kept in unnamed),
        apply,
        referenced,
        fresh,
        leftovers,
        sum(item.size for item in leftovers),
    )
