"""Files handed in: their type read from their content, their size limit, the settings, the local store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from capeval.models.document_store import DocumentStore
from capeval.models.local_document_store import LocalDocumentStore
from capeval.services.runtime import document_folder
from capeval.settings import Settings
from capeval.states.errors import DomainError, InputError, NotFoundError
from capeval.states.uploads import (
    DEFAULT_MAX_BYTES,
    DocumentPolicy,
    MediaType,
    accepted_file,
    detect_media_type,
    parse_type_names,
    sha256_digest,
)

from ..factories import JPEG_START, minimal_pdf, tiny_png


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (minimal_pdf(), MediaType.PDF),
        (tiny_png(), MediaType.PNG),
        (JPEG_START + b"\x00" * 32, MediaType.JPEG),
        (b"PK\x03\x04 a zip file", None),
        (b"just some text", None),
        (b"%PD", None),
        (b"", None),
    ],
)
def test_the_type_is_read_from_the_first_bytes(data: bytes, expected: MediaType | None) -> None:
    assert detect_media_type(data) == expected


def test_a_text_file_named_like_a_pdf_is_refused_by_its_content() -> None:
    with pytest.raises(InputError) as refused:
        DocumentPolicy().check(b"not a pdf at all", "diploma.pdf")
    assert refused.value.code == "upload_type_refused"
    assert "diploma.pdf" in str(refused.value) and "jpeg, pdf, png" in str(refused.value)


def test_a_pdf_named_like_an_image_is_kept_as_a_pdf() -> None:
    stored = accepted_file(DocumentPolicy(), minimal_pdf(), "photo.png")
    assert stored.media_type is MediaType.PDF and stored.filename == "photo.png"
    assert stored.digest == sha256_digest(minimal_pdf()) and stored.size == len(minimal_pdf())


def test_a_file_larger_than_the_limit_is_refused_and_one_at_the_limit_is_kept() -> None:
    data = minimal_pdf()
    assert DocumentPolicy(max_bytes=len(data)).check(data, "a.pdf") is MediaType.PDF
    with pytest.raises(InputError) as refused:
        DocumentPolicy(max_bytes=len(data) - 1).check(data, "a.pdf")
    assert refused.value.code == "upload_too_large"
    assert refused.value.params["size"] == len(data) and refused.value.params["limit"] == len(data) - 1


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(InputError) as refused:
        DocumentPolicy().check(b"", "blank.pdf")
    assert refused.value.code == "upload_empty"


def test_a_type_left_out_of_the_policy_is_refused() -> None:
    policy = DocumentPolicy(allowed=frozenset({MediaType.PDF}))
    assert policy.check(minimal_pdf(), "a.pdf") is MediaType.PDF
    with pytest.raises(InputError) as refused:
        policy.check(tiny_png(), "a.png")
    assert refused.value.params["allowed"] == ["pdf"]


def test_the_settings_name_the_types_and_the_size_and_refuse_nonsense() -> None:
    default = Settings.load().document_policy()
    assert default.allowed == frozenset(MediaType) and default.max_bytes == DEFAULT_MAX_BYTES
    chosen = Settings.load(document_types="PDF, png", document_max_bytes=1000).document_policy()
    assert chosen.allowed == {MediaType.PDF, MediaType.PNG} and chosen.max_bytes == 1000
    assert parse_type_names("jpeg") == {MediaType.JPEG}
    with pytest.raises(InputError) as unknown:
        Settings.load(document_types="pdf,docx")
    assert unknown.value.code == "setting_invalid" and "CAPEVAL_DOCUMENT_TYPES" in str(unknown.value)
    with pytest.raises(InputError) as zero:
        Settings.load(document_max_bytes=0)
    assert "CAPEVAL_DOCUMENT_MAX_BYTES" in str(zero.value)


def test_the_document_folder_is_beside_the_sqlite_file_unless_set(tmp_path: Path) -> None:
    beside = Settings.load(database_url=f"sqlite:///{tmp_path / 'data' / 'capeval.db'}")
    assert document_folder(beside) == tmp_path / "data" / "capeval-documents"
    postgres = Settings.load(database_url="postgresql://localhost/capeval")
    assert document_folder(postgres) == Path("capeval-documents")
    assert document_folder(Settings.load(document_dir=tmp_path / "docs")) == tmp_path / "docs"


def test_the_local_store_keeps_content_once_under_its_digest_in_two_levels(tmp_path: Path) -> None:
    store = LocalDocumentStore(tmp_path / "docs")
    assert isinstance(store, DocumentStore)
    data = minimal_pdf("once")
    digest = store.put(data)
    assert digest == sha256_digest(data)
    path = tmp_path / "docs" / digest[:2] / digest[2:4] / digest
    assert path.read_bytes() == data
    written = path.stat().st_ino
    assert store.put(data) == digest and path.stat().st_ino == written
    assert store.get(digest) == data and store.exists(digest)
    assert [p for p in (tmp_path / "docs").rglob("*") if p.is_file()] == [path]
    assert [(kept.digest, kept.size) for kept in store.kept()] == [(digest, len(data))]
    store.delete(digest)
    assert not store.exists(digest) and list(store.kept()) == []
    store.delete(digest)


def test_the_local_store_refuses_a_file_changed_on_disk_and_names_a_missing_one(tmp_path: Path) -> None:
    store = LocalDocumentStore(tmp_path)
    digest = store.put(tiny_png())
    store.path_of(digest).write_bytes(tiny_png() + b"tampered")
    with pytest.raises(DomainError) as corrupt:
        store.get(digest)
    assert corrupt.value.code == "document_corrupt"
    absent = sha256_digest(b"never stored")
    assert not store.exists(absent)
    with pytest.raises(NotFoundError) as missing:
        store.get(absent)
    assert missing.value.code == "document_not_stored"
    with pytest.raises(InputError):
        store.get("../../etc/passwd")


def test_the_local_store_leaves_no_temporary_file_when_the_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = LocalDocumentStore(tmp_path)
    data = minimal_pdf("x")

    def disk_full(_descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(InputError) as refused:
        store.put(data)
    assert refused.value.code == "document_store_unwritable" and "No space left" in str(refused.value)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    assert not store.exists(sha256_digest(data))


def test_a_folder_that_cannot_be_made_is_one_coded_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder should be", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        LocalDocumentStore(blocker).put(tiny_png())
    assert refused.value.code == "document_store_unwritable"


def test_the_demo_pdf_is_well_formed_its_cross_references_pointing_at_its_objects() -> None:
    data = minimal_pdf("diploma (scan) 中")
    table = int(data.split(b"startxref\n")[1].split()[0])
    assert data[table:].startswith(b"xref\n0 6\n") and data.endswith(b"%%EOF\n")
    entries = data[table:].split(b"\n")[3:8]
    for number, entry in enumerate(entries, start=1):
        assert data[int(entry[:10]) :].startswith(b"%d 0 obj" % number)
    assert detect_media_type(data) is MediaType.PDF and b"(diploma \\(scan\\) ?)" in data
