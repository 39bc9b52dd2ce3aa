"""Documents in a local folder: `<folder>/ab/cd/abcd…` by SHA-256 digest, written atomically.

A document is written to a temporary file in its final folder, flushed to disk, then renamed into place,
so a reader sees either the whole file or none; a crash leaves at most a temporary file, never a short
document. Equal content is written once. Reading checks the bytes against their digest, so a file changed
on disk is refused rather than handed out.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from capeval.states.errors import DomainError, InputError, NotFoundError
from capeval.states.uploads import is_digest, sha256_digest


class LocalDocumentStore:
    """A `DocumentStore` in a folder of this machine (made on first write)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_of(self, digest: str) -> Path:
        """Where the document `digest` is kept: two levels of folders by its first four characters."""
        if not is_digest(digest):
            raise InputError("document_digest_malformed", digest=digest)
        return self.folder / digest[:2] / digest[2:4] / digest

    def put(self, data: bytes) -> str:
        digest = sha256_digest(data)
        target = self.path_of(digest)
        if target.is_file() and target.stat().st_size == len(data):
            return digest
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                    stream.flush()
                    os.fsync(stream.fileno())
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as error:
            raise InputError(
                "document_store_unwritable", folder=self.folder, reason=error.strerror or type(error).__name__
            ) from None
        return digest

    def get(self, digest: str) -> bytes:
        path = self.path_of(digest)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise NotFoundError("document_not_stored", digest=digest) from None
        except OSError as error:
            raise InputError(
                "document_store_unreadable", folder=self.folder, reason=error.strerror or type(error).__name__
            ) from None
        if sha256_digest(data) != digest:
            raise DomainError("document_corrupt", digest=digest)
        return data

    def exists(self, digest: str) -> bool:
        return self.path_of(digest).is_file()
