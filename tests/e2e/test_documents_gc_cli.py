"""`capeval documents gc`: lists the unnamed files past the grace period and their bytes, deletes them only
with --apply, and only for an administrator."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from capeval.cli.main import cli
from capeval.states.uploads import sha256_digest

from ..factories import id_number, minimal_pdf, society_document, tiny_png
from .test_documents_cli import created, refused, stored_files

NOW = datetime.fromisoformat("2026-01-05T12:00:00+08:00")


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Any]:
    runner = CliRunner()
    database = f"sqlite:///{tmp_path / 'cli.db'}"

    def call(*args: str) -> Result:
        return runner.invoke(cli, ["--db", database, "--now", NOW.isoformat(), *args])

    assert call("db", "init", "--simulation").exit_code == 0
    document = society_document([1])
    document["staff"].append(
        {"name": "管理员", "id_number": id_number(990), "email": "a@example.cn", "role": "administrator"}
    )
    (tmp_path / "society.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert call("society", "load", str(tmp_path / "society.json")).exit_code == 0
    scans = tmp_path / "scans"
    scans.mkdir()
    for name in ("id-front.pdf", "diploma.pdf"):
        (scans / name).write_bytes(minimal_pdf(name))
    (scans / "id-back.png").write_bytes(tiny_png())
    return {"call": call, "folder": tmp_path, "store": tmp_path / "capeval-documents"}


def aged(path: Path, hours: float) -> None:
    moment = NOW.timestamp() - hours * 3600
    os.utime(path, (moment, moment))


def abandoned(world: dict[str, Any], label: str, hours: float) -> Path:
    data = minimal_pdf(label)
    digest = sha256_digest(data)
    path: Path = world["store"] / digest[:2] / digest[2:4] / digest
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    aged(path, hours)
    return path


def test_gc_lists_then_deletes_only_old_unnamed_files(world: dict[str, Any]) -> None:
    call = world["call"]
    created(world)
    named = stored_files(world)
    for path in named:
        aged(path, 24 * 30)
    old, fresh = abandoned(world, "refused draft", 30), abandoned(world, "on its way", 3)
    listed = call("documents", "gc", "--actor", "管理员")
    assert listed.exit_code == 0, listed.output
    assert old.name in listed.stdout and fresh.name not in listed.stdout
    assert f"1 unused document(s), {old.stat().st_size} bytes, would be deleted" in listed.stdout
    assert old.exists() and fresh.exists()
    done = call("documents", "gc", "--actor", "管理员", "--apply", "--json")
    assert done.exit_code == 0, done.output
    assert [f["digest"] for f in json.loads(done.stdout)["files"]] == [old.name]
    assert not old.exists() and fresh.exists() and all(path.exists() for path in named)
    refused(call("documents", "gc", "--actor", "管理员", "--older-than", "0"), "at least 1 hour")


def test_gc_refuses_anyone_but_an_administrator_and_deletes_nothing(world: dict[str, Any]) -> None:
    old = abandoned(world, "refused draft", 30)
    refused(world["call"]("documents", "gc", "--actor", "王秘书", "--apply"), "王秘书", "administrator")
    assert old.exists()


def interrupted_upload(world: dict[str, Any], name: str, hours: float) -> Path:
    path: Path = world["store"] / "ab" / "cd" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4 half an upl")
    aged(path, hours)
    return path


def test_gc_lists_then_deletes_the_old_temporary_files_of_interrupted_uploads(world: dict[str, Any]) -> None:
    call = world["call"]
    old = interrupted_upload(world, ".incoming-k2j4x9", 30)
    fresh = interrupted_upload(world, ".incoming-p0q8r1", 3)
    listed = call("documents", "gc", "--actor", "管理员")
    assert listed.exit_code == 0, listed.output
    assert "ab/cd/.incoming-k2j4x9" in listed.stdout and ".incoming-p0q8r1" not in listed.stdout
    size = old.stat().st_size
    assert f"1 temporary file(s) of interrupted uploads, {size} bytes, would be deleted" in listed.stdout
    assert old.exists() and fresh.exists()
    done = call("documents", "gc", "--actor", "管理员", "--apply", "--json")
    assert done.exit_code == 0, done.output
    assert [item["name"] for item in json.loads(done.stdout)["leftovers"]] == ["ab/cd/.incoming-k2j4x9"]
    assert not old.exists() and fresh.exists()
