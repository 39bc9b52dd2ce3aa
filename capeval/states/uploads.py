"""What an uploaded file may be: its type read from its first bytes (never its name), its size and its digest.

A document is kept under the SHA-256 digest of its bytes (64 lowercase hex characters). The types and the
largest size accepted are a `DocumentPolicy`; the sources say nothing about files, so both are settings
(`CAPEVAL_DOCUMENT_TYPES`, `CAPEVAL_DOCUMENT_MAX_BYTES`) with the defaults below.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from enum import StrEnum

from .errors import InputError


class MediaType(StrEnum):
    """The kinds of file capeval can recognise, by their media type."""

    PDF = "application/pdf"
    JPEG = "image/jpeg"
    PNG = "image/png"


TYPE_NAMES: dict[str, MediaType] = {"pdf": MediaType.PDF, "jpeg": MediaType.JPEG, "png": MediaType.PNG}
"""The short names the settings use for each type."""

SIGNATURES: tuple[tuple[bytes, MediaType], ...] = (
    (b"%PDF-", MediaType.PDF),
    (b"\xff\xd8\xff", MediaType.JPEG),
    (b"\x89PNG\r\n\x1a\n", MediaType.PNG),
)
"""The first bytes of each type (PDF header; JPEG start-of-image marker; the PNG signature)."""

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""20 MiB: large enough for a scanned diploma or a project report, small enough to refuse a video."""
DEFAULT_TYPES = frozenset(MediaType)

_DIGEST = re.compile(r"[0-9a-f]{64}")


def detect_media_type(data: bytes) -> MediaType | None:
    """The type whose signature `data` starts with, or None when it is none of them."""
    for signature, media_type in SIGNATURES:
        if data.startswith(signature):
            return media_type
    return None


def sha256_digest(data: bytes) -> str:
    """The SHA-256 digest of `data` as 64 lowercase hex characters (the key a document is kept under)."""
    return hashlib.sha256(data).hexdigest()


def is_digest(text: str) -> bool:
    """Whether `text` is a full SHA-256 digest as capeval writes it."""
    return _DIGEST.fullmatch(text) is not None


def parse_type_names(text: str) -> frozenset[MediaType]:
    """The types named in a comma-separated list such as "pdf,png"; an unknown name raises ValueError."""
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [name for name in names if name not in TYPE_NAMES]
    if unknown or not names:
        raise ValueError(f"name one or more of {', '.join(TYPE_NAMES)} (not {', '.join(unknown) or 'nothing'})")
    return frozenset(TYPE_NAMES[name] for name in names)


def type_name(media_type: MediaType) -> str:
    """The short name of a type ("pdf")."""
    return next(name for name, known in TYPE_NAMES.items() if known is media_type)


@dataclass(frozen=True)
class DocumentPolicy:
    """Which files are accepted: their types (by content) and their largest size in bytes."""

    max_bytes: int = DEFAULT_MAX_BYTES
    allowed: frozenset[MediaType] = field(default_factory=lambda: DEFAULT_TYPES)

    def check(self, data: bytes, name: str) -> MediaType:
        """The type of `data` (the file `name`) if it is accepted; else an InputError saying why."""
        if not data:
            raise InputError("upload_empty", name=name)
        if len(data) > self.max_bytes:
            raise InputError("upload_too_large", name=name, size=len(data), limit=self.max_bytes)
        media_type = detect_media_type(data)
        if media_type is None or media_type not in self.allowed:
            allowed = sorted(type_name(t) for t in self.allowed)
            raise InputError("upload_type_refused", name=name, allowed=allowed)
        return media_type


@dataclass(frozen=True)
class StoredFile:
    """A file kept in the document store: its digest, size, type and the name it was handed in under."""

    digest: str
    size: int
    media_type: MediaType
    filename: str


def accepted_file(policy: DocumentPolicy, data: bytes, name: str, shown: str | None = None) -> StoredFile:
    """`data` (the file `name`) checked against `policy`, with its digest: what a store keeps and an evidence
    row names. A refusal names the file as `shown` when given (where it was listed), else as `name`."""
    media_type = policy.check(data, shown or name)
    return StoredFile(sha256_digest(data), len(data), media_type, name)
