"""The port of the document store: bytes in, their SHA-256 digest out; bytes back by digest, checked.

A store keeps each distinct content once, under its digest (`capeval.states.uploads.sha256_digest`):
putting the same bytes twice is one file. The local folder (`local_document_store.LocalDocumentStore`) is
the default; an S3-compatible bucket can implement the same methods. A store knows nothing of cases or
people: who may read a document is decided in `capeval.services.case_documents`, and which kept files no
row names any more (to be collected) in `capeval.services.document_gc`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class KeptFile:
    """A document as the store keeps it: its digest, its size in bytes and when it was last written (UTC)."""

    digest: str
    size: int
    written_at: datetime


@dataclass(frozen=True)
class Leftover:
    """A temporary file of a write that never finished (an upload interrupted before its rename): where it
    lies in the store (`name`), its size in bytes and when it was last written (UTC)."""

    name: str
    size: int
    written_at: datetime


@runtime_checkable
class DocumentStore(Protocol):
    """Content-addressed storage of documents."""

    def put(self, data: bytes) -> str:
        """Keep `data` (once, however often it is put) and return its SHA-256 digest."""
        ...

    def get(self, digest: str) -> bytes:
        """The bytes kept under `digest`, checked against it; NotFoundError when none are kept."""
        ...

    def exists(self, digest: str) -> bool:
        """Whether bytes are kept under `digest`."""
        ...

    def kept(self) -> Iterator[KeptFile]:
        """Every document kept, one at a time (never the whole listing at once)."""
        ...

    def delete(self, digest: str) -> None:
        """Forget the bytes kept under `digest` (nothing happens when none are kept)."""
        ...

    def leftovers(self) -> Iterator[Leftover]:
        """Every temporary file of an unfinished write, one at a time (none for a store that leaves none)."""
        ...

    def delete_leftover(self, name: str) -> None:
        """Remove the temporary file `leftovers` named `name` (nothing happens when it is gone)."""
        ...
