"""Collecting the documents no row names: only unnamed files past the grace period go, only with apply, and
only an administrator collects."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from capeval.models.local_document_store import LocalDocumentStore
from capeval.services.case_documents import keep_upload
from capeval.services.directory import load_directory
from capeval.services.document_gc import collect_documents
from capeval.services.runtime import Runtime
from capeval.states.errors import InputError, NotPermitted
from capeval.states.uploads import sha256_digest

from ..factories import id_number, minimal_pdf, society_document
from .test_case_documents import case_with_files

ADMINISTRATOR = "管理员"


@pytest.fixture
def kept(runtime: Runtime, tmp_path: Path) -> Runtime:
    runtime.store = LocalDocumentStore(tmp_path / "documents")
    document = society_document([1])
    document["staff"].append(
        {"name": ADMINISTRATOR, "id_number": id_number(990), "email": "a990@example.cn", "role": "administrator"}
    )
    load_directory(runtime, document, origin="test directory")
    return runtime


def written_hours_ago(runtime: Runtime, digest: str, hours: int) -> None:
    store = runtime.documents
    assert isinstance(store, LocalDocumentStore)
    moment = (runtime.clock.now() - timedelta(hours=hours)).timestamp()
    os.utime(store.path_of(digest), (moment, moment))


def unnamed_file(runtime: Runtime, label: str, hours: int) -> str:
    digest = keep_upload(runtime, minimal_pdf(label), "abandoned.pdf").digest
    written_hours_ago(runtime, digest, hours)
    return digest


def test_an_old_unnamed_file_goes_only_with_apply_and_a_named_one_stays(kept: Runtime) -> None:
    case_with_files(kept)
    named = [kept_file.digest for kept_file in kept.documents.kept()]
    for digest in named:
        written_hours_ago(kept, digest, 24 * 30)
    abandoned = unnamed_file(kept, "refused draft", 48)
    listed = collect_documents(kept, ADMINISTRATOR)
    assert [f.digest for f in listed.files] == [abandoned] and listed.bytes == len(minimal_pdf("refused draft"))
    assert not listed.applied and listed.referenced == len(named) == 3
    assert kept.documents.exists(abandoned)
    done = collect_documents(kept, ADMINISTRATOR, apply=True)
    assert [f.digest for f in done.files] == [abandoned] and done.applied
    assert not kept.documents.exists(abandoned)
    assert all(kept.documents.exists(digest) for digest in named)
    assert collect_documents(kept, ADMINISTRATOR, apply=True).files == []


def test_a_fresh_unnamed_file_outlives_the_grace_period(kept: Runtime) -> None:
    fresh = unnamed_file(kept, "upload on its way", 2)
    done = collect_documents(kept, ADMINISTRATOR, apply=True)
    assert done.files == [] and done.fresh == 1 and kept.documents.exists(fresh)
    shorter = collect_documents(kept, ADMINISTRATOR, older_than_hours=1, apply=True)
    assert [f.digest for f in shorter.files] == [fresh] and not kept.documents.exists(fresh)
    with pytest.raises(InputError):
        collect_documents(kept, ADMINISTRATOR, older_than_hours=0)


def test_putting_equal_bytes_again_restarts_their_grace_period(kept: Runtime) -> None:
    old = unnamed_file(kept, "handed in again", 48)
    assert keep_upload(kept, minimal_pdf("handed in again"), "again.pdf").digest == old
    assert collect_documents(kept, ADMINISTRATOR, apply=True).files == [] and kept.documents.exists(old)


def test_nobody_but_an_administrator_collects_and_nothing_is_deleted(kept: Runtime) -> None:
    abandoned = unnamed_file(kept, "refused draft", 48)
    for who in ("王秘书", "申请人1"):
        with pytest.raises(NotPermitted) as refused:
            collect_documents(kept, who, apply=True)
        assert "administrator" in refused.value.text("en")
    assert kept.documents.exists(abandoned) and sha256_digest(kept.documents.get(abandoned)) == abandoned


def leftover(runtime: Runtime, name: str, hours: int) -> Path:
    store = runtime.documents
    assert isinstance(store, LocalDocumentStore)
    path = store.folder / "0f" / "3a" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"half an upload")
    moment = (runtime.clock.now() - timedelta(hours=hours)).timestamp()
    os.utime(path, (moment, moment))
    return path


def test_an_interrupted_uploads_temporary_file_goes_past_the_grace_period_only_with_apply(kept: Runtime) -> None:
    old, fresh = leftover(kept, ".incoming-a1b2c3", 48), leftover(kept, ".incoming-d4e5f6", 2)
    listed = collect_documents(kept, ADMINISTRATOR)
    assert [item.name for item in listed.leftovers] == ["0f/3a/.incoming-a1b2c3"] and listed.files == []
    assert listed.leftover_bytes == len(b"half an upload") and listed.fresh == 1
    assert old.exists() and fresh.exists()
    done = collect_documents(kept, ADMINISTRATOR, apply=True)
    assert [item.name for item in done.leftovers] == ["0f/3a/.incoming-a1b2c3"] and done.applied
    assert not old.exists() and fresh.exists()
    shorter = collect_documents(kept, ADMINISTRATOR, older_than_hours=1, apply=True)
    assert [item.name for item in shorter.leftovers] == ["0f/3a/.incoming-d4e5f6"]
    assert not fresh.exists() and not fresh.parent.exists()


def test_a_named_document_beside_a_temporary_file_stays(kept: Runtime) -> None:
    case_with_files(kept)
    named = [kept_file.digest for kept_file in kept.documents.kept()]
    for digest in named:
        written_hours_ago(kept, digest, 24 * 30)
    store = kept.documents
    assert isinstance(store, LocalDocumentStore)
    beside = store.path_of(named[0]).parent / ".incoming-zz9"
    beside.write_bytes(b"x")
    moment = (kept.clock.now() - timedelta(hours=48)).timestamp()
    os.utime(beside, (moment, moment))
    done = collect_documents(kept, ADMINISTRATOR, apply=True)
    assert done.files == [] and len(done.leftovers) == 1 and not beside.exists()
    assert all(store.exists(digest) for digest in named)


def test_only_a_temporary_file_of_the_store_is_removed_as_one(kept: Runtime) -> None:
    store = kept.documents
    for name in ("0f/3a/readme.txt", "../.incoming-x", "0f/.incoming-x"):
        with pytest.raises(InputError):
            store.delete_leftover(name)
