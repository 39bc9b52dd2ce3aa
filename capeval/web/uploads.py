"""Files sent with a console form (multipart): each `file_<kind>` field names the evidence kind of its files.

A file is read up to one byte past the document policy's limit, so an oversized upload is refused (413)
without holding it all; type and size are then checked by `services/case_documents.uploaded_evidence`,
which keeps nothing unless every file is accepted.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import FormData, UploadFile

from capeval.services.runtime import Runtime
from capeval.states.errors import InputError
from capeval.states.guards import EVIDENCE_LABELS
from capeval.states.uploads import type_name

FIELD_PREFIX = "file_"
APPLICATION_KINDS = tuple(kind for kind in EVIDENCE_LABELS if kind != "supplement")
"""The evidence kinds the application and revise forms offer a file field for."""
SUPPLEMENT_KIND = "supplement"


@dataclass(frozen=True)
class UploadRules:
    """What the forms tell the applicant about files: the accepted types and the largest size."""

    types: str
    limit: str


def upload_rules(runtime: Runtime) -> UploadRules:
    """The document policy as the forms show it ("pdf, png", "20 MiB")."""
    policy = runtime.document_policy
    size = policy.max_bytes
    limit = f"{size // 1024 // 1024} MiB" if size % (1024 * 1024) == 0 else f"{size} B"
    return UploadRules(", ".join(sorted(type_name(t) for t in policy.allowed)), limit)


def sent_files(runtime: Runtime, form: FormData, kinds: tuple[str, ...]) -> list[tuple[str, str, bytes]]:
    """(kind, file name, bytes) of every file chosen in the `file_<kind>` fields of `form` (an empty field,
    no file chosen, is skipped). Reads the spooled files directly: call it from a plain `def` route, which
    runs in the thread pool."""
    limit = runtime.document_policy.max_bytes
    found = []
    for kind in kinds:
        for value in form.getlist(f"{FIELD_PREFIX}{kind}"):
            if not isinstance(value, UploadFile) or (not value.filename and not value.size):
                continue
            name = (value.filename or kind).replace("\x00", "").replace("\\", "/").rsplit("/", 1)[-1][-200:] or kind
            try:
                data = value.file.read(limit + 1)
            except OSError:
                raise InputError("web_upload_unreadable", name=name) from None
            if len(data) > limit:
                raise InputError("upload_too_large", name=name, size=value.size or len(data), limit=limit)
            found.append((kind, name, data))
    return found
