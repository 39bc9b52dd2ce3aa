"""Documents in a local folder: `<folder>/ab/cd/abcd…` by SHA-256 digest, written atomically.

A document is written to a temporary file in its final folder, flushed to disk, then renamed into place,
so a reader sees either the whole file or none; a crash leaves at most a temporary file (`.incoming-…`,
listed by `leftovers` for collection), never a short document. Equal content is written once (putting it
again marks it as just written). Reading checks the bytes against their digest, so a file changed on disk
is refused rather than handed out.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from capeval.states.errors import DomainError, InputError, NotFoundError
from capeval.states.uploads import is_digest, sha256_digest

from .document_store import KeptFile, Leftover

INCOMING = ".incoming-"
"""How the temporary file of a write starts, in the folder of the document it becomes."""


def _touch(path: Path) -> None:
    """Mark a file kept again as just written, so a collection's grace period starts anew for it."""
    with contextlib.suppress(OSError):
        os.utime(path)


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
            _touch(target)
            return digest
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=INCOMING)
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

    def kept(self) -> Iterator[KeptFile]:
        for path in self._files():
            if is_digest(path.name):
                status = path.stat()
                yield KeptFile(path.name, status.st_size, datetime.fromtimestamp(status.st_mtime, UTC))

    def leftovers(self) -> Iterator[Leftover]:
        for path in self._files():
            if path.name.startswith(INCOMING):
                with contextlib.suppress(FileNotFoundError):
                    status = path.stat()
                    name = path.relative_to(self.folder).as_posix()
                    yield Leftover(name, status.st_size, datetime.fromtimestamp(status.st_mtime, UTC))

    def delete_leftover(self, name: str) -> None:
        path = self.folder / name
        if not path.name.startswith(INCOMING) or path.parent.parent.parent != self.folder:
            raise InputError("document_leftover_malformed", name=name)
        self._remove(path)

    def _files(self) -> Iterator[Path]:
        """Every file two folders down (`ab/cd/…`), in name order."""
        if not self.folder.is_dir():
            return
        for first in sorted(self.folder.iterdir()):
            if not first.is_dir() or len(first.name) != 2:
                continue
            for second in sorted(first.iterdir()):
                if not second.is_dir() or len(second.name) != 2:
                    continue
                yield from (path for path in sorted(second.iterdir()) if path.is_file())

    def delete(self, digest: str) -> None:
        self._remove(self.path_of(digest))

    def _remove(self, path: Path) -> None:
        """Remove one file, then its two folders when they are left empty."""
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            raise InputError(
                "document_store_unwritable", folder=self.folder, reason=error.strerror or type(error).__name__
            ) from None
        for folder in (path.parent, path.parent.parent):
            try:
                folder.rmdir()
            except OSError:
                break
