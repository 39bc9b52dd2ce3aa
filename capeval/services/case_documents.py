"""A case's material as its readers see it: the self-statement and the documents, each behind the reading check.

Files handed in are checked by content (type and size, `DocumentPolicy`) and kept in the runtime's document
store under their SHA-256 digest; the evidence rows name them. Only the people `states/case_reading.py`
names may read a case's statement or documents; anyone else gets `NotPermitted`, and a document is given
only through a case that has it among its evidence, never by digest alone.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from capeval.models.repositories import CaseContext
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.application import Party, Stage
from capeval.states.authority import StaffRole, require
from capeval.states.calendar import SHANGHAI
from capeval.states.case_reading import SOCIETY_ADMINISTRATOR, ReadingFacts, require_reader
from capeval.states.commands import CreateApplication, EvidenceRef
from capeval.states.errors import InputError, NotFoundError
from capeval.states.statement import measure
from capeval.states.uploads import StoredFile, accepted_file

from .authority import case_actor, case_standing, is_staff, person_acting
from .documents import application_command
from .runtime import Runtime

SHORT_DIGEST = 12
"""How many characters of a digest the lists show; any unique prefix of at least `MIN_PREFIX` finds it."""
MIN_PREFIX = 8


@dataclass(frozen=True)
class EvidenceDocument:
    """One evidence row of a case with its document (the file fields are None for a reference without a file)."""

    kind: str
    reference: str
    description: str
    supplement_round: int
    added_at: datetime
    digest: str | None
    filename: str | None
    media_type: str | None
    size: int | None

    @property
    def has_file(self) -> bool:
        return self.digest is not None


@dataclass(frozen=True)
class DocumentContent:
    """A document of a case, ready to hand to its reader."""

    case_id: int
    digest: str
    filename: str
    media_type: str
    size: int
    data: bytes


@dataclass(frozen=True)
class CaseStatement:
    """The self-statement of a case with its measure (characters that count, and the Chinese share)."""

    case_id: int
    applicant: str
    text: str
    chars: int
    chinese_percent: float


# --- handing files in -----------------------------------------------------------------------------------


def read_upload(path: Path, where: str) -> bytes:
    """The bytes of the file at `path` named in `where`; a missing or unreadable file is one InputError."""
    if not path.is_file():
        raise InputError("upload_missing", where=where, path=path)
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError("upload_unreadable", where=where, path=path, reason=error.strerror or "") from None


def keep_upload(runtime: Runtime, data: bytes, filename: str) -> StoredFile:
    """Check `data` against the document policy and keep it in the store; the file an evidence row can name."""
    stored = accepted_file(runtime.document_policy, data, filename)
    runtime.documents.put(data)
    return stored


def evidence_files(
    runtime: Runtime, files: Sequence[tuple[str, Path]], where: str, *, case_id: int, actor: str, action: str
) -> tuple[EvidenceRef, ...]:
    """Evidence of `kind` for each (kind, path) that the applicant of the case sends with `action` (revise,
    add_supplement): someone else is refused before any file is read; every file is read and checked first,
    and all are kept only when all are accepted (`where` names the source in errors)."""
    if not files:
        return ()
    with runtime.unit_of_work() as uow:
        context = uow.applications.context(case_id)
        if context is None:
            raise NotFoundError("lookup_case_missing", case_id=case_id)
        require(case_actor(uow, actor, context, runtime.today(), {Party.APPLICANT}), Party.APPLICANT, action)
    accepted = []
    for kind, path in files:
        data = read_upload(path, where)
        accepted.append((kind, accepted_file(runtime.document_policy, data, path.name, f"{where}: {path}"), data))
    for _, _, data in accepted:
        runtime.documents.put(data)
    return tuple(EvidenceRef(kind, stored.filename, document=stored) for kind, stored, _ in accepted)


def uploaded_evidence(
    runtime: Runtime,
    files: Sequence[tuple[str, str, bytes]],
    *,
    case_id: int | None,
    actor: str,
    action: str,
) -> tuple[EvidenceRef, ...]:
    """Evidence for each (kind, file name, bytes) sent through the console: for an existing case only its
    applicant may send files with `action` (refused before any file is checked); every file is checked
    first, and all are kept only when all are accepted."""
    if not files:
        return ()
    if case_id is not None:
        with runtime.unit_of_work() as uow:
            context = uow.applications.context(case_id)
            if context is None:
                raise NotFoundError("lookup_case_missing", case_id=case_id)
            require(case_actor(uow, actor, context, runtime.today(), {Party.APPLICANT}), Party.APPLICANT, action)
    accepted = [(kind, accepted_file(runtime.document_policy, data, name), data) for kind, name, data in files]
    for _, _, data in accepted:
        runtime.documents.put(data)
    return tuple(EvidenceRef(kind, stored.filename, document=stored) for kind, stored, _ in accepted)


def application_with_files(runtime: Runtime, document: Mapping[str, Any], *, origin: str) -> CreateApplication:
    """The CreateApplication of an application file whose evidence names files (`file`, relative to the
    application file): every file is read and checked first, and kept only when all are accepted."""
    command = application_command(document, origin=origin)
    items = document.get("evidence", [])
    base = Path(origin).parent
    accepted: dict[int, tuple[StoredFile, bytes]] = {}
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, Mapping) or item.get("file") is None:
            continue
        where = f"{origin}: evidence[{index}]"
        name = item["file"]
        if not isinstance(name, str) or not name.strip():
            raise InputError("document_field_not_text", where=where, key="file")
        path = base / name
        data = read_upload(path, where)
        accepted[index] = (accepted_file(runtime.document_policy, data, path.name, f"{where}: {name}"), data)
    for _, data in accepted.values():
        runtime.documents.put(data)
    evidence = tuple(
        replace(ref, document=accepted[index][0]) if index in accepted else ref
        for index, ref in enumerate(command.evidence)
    )
    return replace(command, evidence=evidence)


# --- reading --------------------------------------------------------------------------------------------


def readable_case(
    uow: UnitOfWork, runtime: Runtime, case_id: int, actor: str, parties: Collection[str] | None = None
) -> CaseContext:
    """The case, once `actor` has passed the reading check (`states/case_reading.py`); `parties` are the ones
    `actor` holds on the case today when the caller has just looked them up (`case_parties`)."""
    context = uow.applications.context(case_id)
    if context is None:
        raise NotFoundError("lookup_case_missing", case_id=case_id)
    person = person_acting(uow, actor)
    if parties is None:
        standing = case_standing(uow, person, context, runtime.today())
        holds = {party.value for party in standing.parties}
        administers = standing.society_administrator
    else:
        holds = set(parties)
        administers = person.id != context.case.person_id and is_staff(
            uow, person, StaffRole.SOCIETY_ADMINISTRATOR, context.case.society_id
        )
    reached = uow.documents.stages_reached(case_id)
    require_reading(holds, administers, reached, uow.documents.appealed(case_id), reader=person.name, case_id=case_id)
    return context


def require_reading(
    holds: Collection[str],
    society_administrator: bool,
    reached: Collection[str],
    appealed: bool,
    *,
    reader: str,
    case_id: int,
) -> None:
    """The reading check on facts already read: the parties the reader holds on the case, whether they
    administer its society (never for its applicant), the stages it has reached and whether it was
    appealed; NotPermitted when they may not read it."""
    held = {*holds, SOCIETY_ADMINISTRATOR} if society_administrator else set(holds)
    facts = ReadingFacts(frozenset(held), frozenset(Stage(stage) for stage in reached), appealed)
    require_reader(facts, actor=reader, case_id=case_id)


def case_statement(runtime: Runtime, case_id: int, actor: str) -> CaseStatement:
    """The self-statement of the case, for the people who may read it."""
    with runtime.unit_of_work() as uow:
        context = readable_case(uow, runtime, case_id, actor)
        text = context.case.self_statement
        measured = measure(text)
        return CaseStatement(case_id, context.person.name, text, measured.chars, measured.cjk_percent)


def case_documents(runtime: Runtime, case_id: int, actor: str) -> list[EvidenceDocument]:
    """Every evidence row of the case with its document, for the people who may read the case."""
    with runtime.unit_of_work() as uow:
        readable_case(uow, runtime, case_id, actor)
        return _documents(uow, case_id)


def case_reading(
    runtime: Runtime, case_id: int, actor: str, parties: Collection[str] | None = None
) -> tuple[CaseStatement, list[EvidenceDocument]]:
    """`case_statement` and `case_documents` together, the reading check made once, with the
    `parties` `actor` holds on the case today when the caller has them."""
    with runtime.unit_of_work() as uow:
        return case_reading_in(uow, runtime, case_id, actor, parties)


def case_reading_in(
    uow: UnitOfWork, runtime: Runtime, case_id: int, actor: str, parties: Collection[str] | None = None
) -> tuple[CaseStatement, list[EvidenceDocument]]:
    """`case_reading` inside the caller's unit of work."""
    context = readable_case(uow, runtime, case_id, actor, parties)
    text = context.case.self_statement
    measured = measure(text)
    statement = CaseStatement(case_id, context.person.name, text, measured.chars, measured.cjk_percent)
    return statement, _documents(uow, case_id)


def _documents(uow: UnitOfWork, case_id: int) -> list[EvidenceDocument]:
    return [
        EvidenceDocument(
            kind=evidence.kind,
            reference=evidence.reference,
            description=evidence.description,
            supplement_round=evidence.supplement_round,
            added_at=evidence.added_at.astimezone(SHANGHAI),
            digest=document.digest if document else None,
            filename=document_name(evidence.reference) if document else None,
            media_type=document.media_type if document else None,
            size=document.size if document else None,
        )
        for evidence, document in uow.documents.evidence_of_case(case_id)
    ]


def document_for(runtime: Runtime, case_id: int, digest: str, actor: str) -> DocumentContent:
    """A document of the case by its digest (or a unique prefix of at least 8 characters), checked against
    the digest as it is read, for the people who may read the case."""
    wanted = digest.strip().lower()
    with runtime.unit_of_work() as uow:
        readable_case(uow, runtime, case_id, actor)
        digests = sorted(
            {document.digest for _, document in uow.documents.evidence_of_case(case_id) if document is not None}
        )
        matching = [known for known in digests if len(wanted) >= MIN_PREFIX and known.startswith(wanted)]
        if len(matching) > 1:
            raise NotFoundError("case_document_ambiguous", case_id=case_id, digest=digest, minimum=MIN_PREFIX)
        if not matching:
            raise NotFoundError("case_document_missing", case_id=case_id, digest=digest, minimum=MIN_PREFIX)
        found = uow.documents.attached(case_id, matching[0])
        assert found is not None
        evidence, document = found
    data = runtime.documents.get(document.digest)
    return DocumentContent(
        case_id, document.digest, document_name(evidence.reference), document.media_type, document.size, data
    )


def document_name(reference: str) -> str:
    """The file name an evidence row shows for its document: the last part of the path it was handed in as."""
    return Path(reference).name or reference
