"""A case's documents and statement: kept by digest, read back only by the people with a part in the case."""

from __future__ import annotations

from pathlib import Path

import pytest

from capeval.models import Document, EvidenceItem
from capeval.models.local_document_store import LocalDocumentStore
from capeval.services import review
from capeval.services.case_documents import case_documents, case_reading, case_statement, document_for, keep_upload
from capeval.services.directory import load_directory
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.commands import EvidenceRef
from capeval.states.errors import DomainError, NotFoundError, NotPermitted
from capeval.states.uploads import StoredFile

from ..factories import act, minimal_pdf, person, statement, submitted_case, tiny_png
from ..review_factories import examiner_entry, load_review_society
from .test_handlers import rows

WORKGROUP = "王秘书"
REQUIRED = ("id_card_front", "id_card_back", "education")


@pytest.fixture
def kept(runtime: Runtime, tmp_path: Path) -> Runtime:
    runtime.store = LocalDocumentStore(tmp_path / "documents")
    return runtime


def files_of(runtime: Runtime, serial: int) -> tuple[StoredFile, ...]:
    return (
        keep_upload(runtime, minimal_pdf(f"front {serial}"), "id-front.pdf"),
        keep_upload(runtime, tiny_png(), "id-back.png"),
        keep_upload(runtime, minimal_pdf(f"diploma {serial}"), "diploma.pdf"),
    )


def case_with_files(runtime: Runtime, serial: int = 1, files: tuple[StoredFile, ...] | None = None) -> int:
    stored = files or files_of(runtime, serial)
    evidence = tuple(EvidenceRef(kind, f"scans/{s.filename}", document=s) for kind, s in zip(REQUIRED, stored))
    return submitted_case(runtime, serial, evidence=(*evidence, EvidenceRef("work_experience", "letter.pdf")))


def test_the_applicant_reads_every_document_back_and_a_bare_reference_shows_no_file(kept: Runtime) -> None:
    load_review_society(kept, members=[1])
    case_id = case_with_files(kept)
    listed = case_documents(kept, case_id, "申请人1")
    assert [(row.kind, row.filename, row.media_type) for row in listed] == [
        ("id_card_front", "id-front.pdf", "application/pdf"),
        ("id_card_back", "id-back.png", "image/png"),
        ("education", "diploma.pdf", "application/pdf"),
        ("work_experience", None, None),
    ]
    assert not listed[-1].has_file and listed[-1].reference == "letter.pdf"
    diploma = listed[2]
    assert diploma.digest is not None
    found = document_for(kept, case_id, diploma.digest[:10], "申请人1")
    assert found.data == minimal_pdf("diploma 1") and found.size == len(found.data) == diploma.size
    assert [(d.original_filename, d.uploaded_by is not None) for d in rows(kept, Document)] == [
        ("id-front.pdf", True),
        ("id-back.png", True),
        ("diploma.pdf", True),
    ]


def test_equal_content_handed_in_twice_is_one_document_named_by_both_cases(kept: Runtime) -> None:
    load_review_society(kept, members=[1, 2])
    shared = keep_upload(kept, tiny_png(), "back.png")
    first = case_with_files(kept, 1)
    second = case_with_files(kept, 2, (*files_of(kept, 2)[:1], shared, files_of(kept, 2)[2]))
    assert len(rows(kept, Document)) == 5
    named = [e.application_id for e in rows(kept, EvidenceItem) if e.document_digest == shared.digest]
    assert named == [first, second]
    assert document_for(kept, second, shared.digest, "申请人2").data == tiny_png()


def test_people_without_a_part_in_the_case_read_nothing_of_it(kept: Runtime) -> None:
    load_review_society(kept, members=[1, 2], examiners=4)
    case_id = case_with_files(kept)
    digest = case_documents(kept, case_id, "申请人1")[0].digest
    assert digest is not None
    for outsider in ("申请人2", "考官1", "审议委员1", "秘书处员", "公正委员1"):
        for read in (
            lambda who: case_statement(kept, case_id, who),
            lambda who: case_documents(kept, case_id, who),
            lambda who: document_for(kept, case_id, digest, who),
            lambda who: case_reading(kept, case_id, who),
            lambda who: case_reading(kept, case_id, who, parties=()),
        ):
            with pytest.raises(NotPermitted) as refused:
                read(outsider)
            assert refused.value.code == "case_reading_refused", outsider
    with pytest.raises(NotPermitted) as unknown:
        case_documents(kept, case_id, "路人甲")
    assert unknown.value.code == "actor_unknown"


def test_the_workgroup_reads_the_statement_and_examiners_once_they_hold_a_task(kept: Runtime) -> None:
    load_review_society(kept, members=[1], examiners=4)
    case_id = case_with_files(kept)
    shown = case_statement(kept, case_id, WORKGROUP)
    assert shown.text == statement(2500) and shown.chars == 2500 and shown.applicant == "申请人1"
    act(kept, case_id, Action.ACCEPT_FOR_REVIEW)
    tasks = review.assign(kept, case_id, WORKGROUP)
    assigned = {task.examiner_name for task in tasks}
    others = {f"考官{n}" for n in range(1, 5)} - assigned
    for examiner in assigned:
        assert len(case_documents(kept, case_id, examiner)) == 4
    for examiner in others:
        with pytest.raises(NotPermitted):
            case_documents(kept, case_id, examiner)


def test_the_review_committee_reads_a_case_once_it_reaches_committee_review(kept: Runtime) -> None:
    load_review_society(kept, members=[1], examiners=2)
    case_id = case_with_files(kept)
    with pytest.raises(NotPermitted):
        case_statement(kept, case_id, "审议委员1")
    act(kept, case_id, Action.ACCEPT_FOR_REVIEW)
    act(kept, case_id, Action.PASS_MATERIAL_REVIEW)
    assert case_statement(kept, case_id, "审议委员1").case_id == case_id
    with pytest.raises(NotPermitted):
        case_statement(kept, case_id, "秘书处员")


def test_the_society_administrator_reads_the_societys_cases(kept: Runtime) -> None:
    load_review_society(kept, members=[1])
    directory = {
        "society": {"code": "CES", "name_zh": "中国电工技术学会"},
        "staff": [{**person(950, "学会管理员"), "role": "society_administrator"}],
        "examiner": [examiner_entry(1)],
    }
    load_directory(kept, directory, origin="administrator")
    case_id = case_with_files(kept)
    assert len(case_documents(kept, case_id, "学会管理员")) == 4


def test_a_document_of_another_case_is_not_given_through_this_one(kept: Runtime) -> None:
    load_review_society(kept, members=[1, 2])
    first, second = case_with_files(kept, 1), case_with_files(kept, 2)
    other = case_documents(kept, second, WORKGROUP)[0].digest
    assert other is not None
    with pytest.raises(NotFoundError) as missing:
        document_for(kept, first, other, WORKGROUP)
    assert missing.value.code == "case_document_missing"
    own = case_documents(kept, first, WORKGROUP)[0].digest
    assert own is not None
    with pytest.raises(NotFoundError):
        document_for(kept, first, own[:7], WORKGROUP)
    assert document_for(kept, first, own[:8].upper(), WORKGROUP).digest == own


def test_a_stored_file_changed_on_disk_is_refused_not_handed_out(kept: Runtime) -> None:
    load_review_society(kept, members=[1])
    case_id = case_with_files(kept)
    digest = case_documents(kept, case_id, WORKGROUP)[2].digest
    assert digest is not None and isinstance(kept.store, LocalDocumentStore)
    kept.store.path_of(digest).write_bytes(minimal_pdf("forged"))
    with pytest.raises(DomainError) as corrupt:
        document_for(kept, case_id, digest, WORKGROUP)
    assert corrupt.value.code == "document_corrupt"


def test_the_case_page_reads_the_statement_and_documents_together_as_each_alone(kept: Runtime) -> None:
    load_review_society(kept, members=[1, 2], examiners=4)
    case_id = case_with_files(kept)
    statement_read, documents_read = case_reading(kept, case_id, "申请人1", parties=("applicant",))
    assert statement_read == case_statement(kept, case_id, "申请人1")
    assert documents_read == case_documents(kept, case_id, "申请人1") and documents_read
