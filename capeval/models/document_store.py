"""The port of the document store: bytes in, their SHA-256 digest out; bytes back by digest, checked.

A store keeps each distinct content once, under its digest (`capeval.states.uploads.sha256_digest`):
putting the same bytes twice is one file. The local folder (`local_document_store.LocalDocumentStore`) is
the default; an S3-compatible bucket can implement the same three methods. A store knows nothing of
cases or people: who may read a document is decided in `capeval.services.case_documents`.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


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
