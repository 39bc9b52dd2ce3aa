"""`capeval case create` keeps the evidence files; `case statement`, `case documents` and `case document` give
them to the case's readers only; `register lookup` finds by part of a name; `society people` lists roles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from capeval.cli.main import cli

from ..factories import JPEG_START, id_number, minimal_pdf, society_document, statement, tiny_png
from .journeys import WORKGROUP, registered, review_round


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Any]:
    runner = CliRunner()
    database = f"sqlite:///{tmp_path / 'cli.db'}"

    def call(*args: str, env: dict[str, str] | None = None) -> Result:
        return runner.invoke(cli, ["--db", database, "--now", "2026-01-05", *args], env=env)

    assert call("db", "init", "--simulation").exit_code == 0
    document = society_document([1, 2])
    document["member"][0]["name"] = "周明"
    (tmp_path / "society.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert call("society", "load", str(tmp_path / "society.json")).exit_code == 0
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "id-front.pdf").write_bytes(minimal_pdf("front"))
    (scans / "id-back.png").write_bytes(tiny_png())
    (scans / "diploma.pdf").write_bytes(minimal_pdf("diploma"))
    return {"call": call, "folder": tmp_path, "store": tmp_path / "capeval-documents"}


def application(world: dict[str, Any], serial: int, evidence: list[dict[str, str]] | None = None) -> Path:
    files = [("id_card_front", "scans/id-front.pdf"), ("id_card_back", "scans/id-back.png")]
    files.append(("education", "scans/diploma.pdf"))
    document = {
        "applicant": {"name": f"申请人{serial}", "id_number": id_number(serial), "email": f"p{serial}@example.cn"},
        "society": "CES",
        "field": "electrical",
        "level": "professional",
        "commitment_signed": True,
        "self_statement": statement(2500),
        "evidence": evidence
        if evidence is not None
        else [{"kind": kind, "file": name} for kind, name in files]
        + [{"kind": "work_experience", "reference": "employer-letter.pdf"}],
    }
    path = world["folder"] / f"application-{serial}.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def created(world: dict[str, Any], serial: int = 1) -> int:
    result = world["call"]("case", "create", str(application(world, serial)), "--submit", "--json")
    assert result.exit_code == 0, result.output
    return int(json.loads(result.stdout)["case_id"])


def stored_files(world: dict[str, Any]) -> list[Path]:
    store: Path = world["store"]
    return sorted(path for path in store.rglob("*") if path.is_file()) if store.exists() else []


def refused(result: Result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert result.stdout == ""
    for word in words:
        assert word in lines[0], lines[0]


def test_the_files_of_an_application_are_kept_listed_shown_and_written_back(world: dict[str, Any]) -> None:
    call, folder = world["call"], world["folder"]
    case_id = created(world)
    assert len(stored_files(world)) == 3
    shown = call("case", "show", str(case_id)).stdout
    assert "diploma.pdf (application/pdf" in shown and "id-back.png (image/png, 69 bytes" in shown
    assert "employer-letter.pdf" in shown and "no file" in shown

    listing = call("case", "documents", str(case_id), "--actor", WORKGROUP)
    assert listing.exit_code == 0, listing.output
    assert "employer-letter.pdf (no file)" in listing.stdout
    rows = json.loads(call("case", "documents", str(case_id), "--actor", "周明", "--json").stdout)
    diploma = next(row for row in rows if row["kind"] == "education")
    assert diploma["media_type"] == "application/pdf" and diploma["size"] == len(minimal_pdf("diploma"))
    assert diploma["digest"][:12] in listing.stdout

    out = folder / "copy.pdf"
    written = call("case", "document", str(case_id), diploma["digest"][:12], "--actor", WORKGROUP, "--out", str(out))
    assert written.exit_code == 0, written.output
    assert out.read_bytes() == minimal_pdf("diploma") and "diploma.pdf" in written.stdout

    text = call("case", "statement", str(case_id), "--actor", WORKGROUP)
    assert text.exit_code == 0 and statement(2500) in text.stdout and "2500 characters" in text.stdout


def test_the_same_files_handed_in_by_a_second_applicant_are_kept_once(world: dict[str, Any]) -> None:
    created(world, 1)
    created(world, 2)
    assert len(stored_files(world)) == 3


@pytest.mark.parametrize(
    ("evidence", "env", "words"),
    [
        ([{"kind": "education", "file": "scans/lost.pdf"}], None, ("evidence[0]", "lost.pdf", "does not exist")),
        ([{"kind": "education", "file": "notes.pdf"}], None, ("evidence[0]: notes.pdf", "not one of the types")),
        (
            [{"kind": "id_card_back", "file": "scans/id-back.png"}, {"kind": "education", "file": "scans/diploma.pdf"}],
            {"CAPEVAL_DOCUMENT_MAX_BYTES": "100"},
            ("evidence[1]: scans/diploma.pdf", "more than the 100 bytes"),
        ),
        (
            [{"kind": "education", "file": "scans/id-back.png"}],
            {"CAPEVAL_DOCUMENT_TYPES": "pdf"},
            ("id-back.png", "(pdf)"),
        ),
        ([{"kind": "education"}], None, ("evidence[0]", "'file'")),
    ],
    ids=["missing", "wrong-type", "too-large", "type-not-allowed", "unnamed"],
)
def test_a_file_that_cannot_be_kept_is_refused_in_one_line_with_nothing_written(
    world: dict[str, Any], evidence: list[dict[str, str]], env: dict[str, str] | None, words: tuple[str, ...]
) -> None:
    (world["folder"] / "notes.pdf").write_text("a text file that only looks like a pdf", encoding="utf-8")
    path = application(world, 1, evidence)
    refused(world["call"]("case", "create", str(path), "--submit", env=env), *words)
    assert stored_files(world) == []
    assert world["call"]("case", "board").stdout.strip() == "(nothing)"


def test_people_without_a_part_in_the_case_read_nothing_of_it(world: dict[str, Any], tmp_path: Path) -> None:
    call = world["call"]
    case_id = created(world)
    digest = json.loads(call("case", "documents", str(case_id), "--actor", "周明", "--json").stdout)[0]["digest"]
    out = tmp_path / "stolen.pdf"
    for who in ("申请人2", "赵考官", "审议委员1"):
        refused(call("case", "statement", str(case_id), "--actor", who), who, "may not read", f"case {case_id}")
        refused(call("case", "documents", str(case_id), "--actor", who), "may not read")
        refused(call("case", "document", str(case_id), digest, "--actor", who, "--out", str(out)), "may not read")
    refused(call("case", "documents", str(case_id), "--actor", "路人甲"), "路人甲")
    refused(
        call("case", "document", str(case_id), "0000000000", "--actor", WORKGROUP, "--out", str(out)), "no document"
    )
    assert not out.exists()


def test_the_register_is_searched_by_part_of_a_name_in_words(world: dict[str, Any]) -> None:
    call = world["call"]
    number = registered(call, created(world), world["folder"])
    found = call("register", "lookup", "--name", "周")
    assert found.exit_code == 0, found.output
    assert number in found.stdout and "周明" in found.stdout and "China Electrotechnical Society" in found.stdout
    assert "(CES)" not in found.stdout and "(electrical)" not in found.stdout
    assert "approval of case" not in found.stdout and "issued  -> active" in found.stdout
    chinese = call("--lang", "zh-CN", "register", "lookup", "--name", "周", "--society", "CES", "--field", "electrical")
    assert "专业工程会员" in chinese.stdout and "有效" in chinese.stdout and "中国电工技术学会" in chinese.stdout
    assert number in call("register", "lookup", "--number", number).stdout
    assert "no entry in the register matches" in call("register", "lookup", "--name", "钱").stdout
    refused(call("register", "lookup"), "--name")
    refused(call("register", "lookup", "--name", "周", "--society", "XYZ"), "XYZ", "CES")
    assert call("register", "lookup", "--name", "周", "--limit", "0").exit_code == 2


def test_society_people_lists_the_workgroup_examiners_and_members(world: dict[str, Any]) -> None:
    call = world["call"]
    listed = call("society", "people", "CES")
    assert listed.exit_code == 0, listed.output
    lines = {line.split()[2]: line for line in listed.stdout.splitlines()[1:]}
    assert "workgroup" in lines["王秘书"] and "electrical (senior)" in lines["赵考官"]
    assert lines["周明"].rstrip().endswith("active")
    paged = call("society", "people", "CES", "--limit", "2")
    assert len(paged.stdout.splitlines()) == 4 and "next page after person" in paged.stdout
    rows = json.loads(call("society", "people", "CES", "--json").stdout)["rows"]
    assert {row["name"] for row in rows} == set(lines)
    refused(call("society", "people", "XYZ"), "XYZ")


def test_revise_and_supplement_keep_the_files_they_are_given(world: dict[str, Any]) -> None:
    call, folder = world["call"], world["folder"]
    draft = call("case", "create", str(application(world, 1)), "--json")
    case_id = int(json.loads(draft.stdout)["case_id"])
    (folder / "award.jpg").write_bytes(JPEG_START + b"\x00" * 64)
    revised = call(
        "case", "revise", str(case_id), "--actor", "周明", "--file", f"work_experience={folder / 'award.jpg'}"
    )
    assert revised.exit_code == 0, revised.output
    refused(call("case", "revise", str(case_id), "--actor", "周明", "--file", "award.jpg"), "KIND=PATH")
    stranger = call("case", "revise", str(case_id), "--actor", "申请人2", "--file", f"education={folder / 'notes.txt'}")
    refused(stranger, "申请人2 may not revise")
    assert call("case", "act", str(case_id), "submit", "--actor", "周明").exit_code == 0
    assert call("case", "act", str(case_id), "accept_for_review", "--actor", WORKGROUP).exit_code == 0
    review_round(call, case_id, folder, "supplement")
    (folder / "report.pdf").write_bytes(minimal_pdf("acceptance report"))
    refused(
        call("case", "supplement", str(case_id), "--actor", "周明", "--file", str(folder / "nothing.pdf")),
        "nothing.pdf",
        "does not exist",
    )
    sent = call("case", "supplement", str(case_id), "--actor", "周明", "--file", str(folder / "report.pdf"))
    assert sent.exit_code == 0, sent.output
    rows = json.loads(call("case", "documents", str(case_id), "--actor", WORKGROUP, "--json").stdout)
    kept = {(row["kind"], row["filename"], row["media_type"]) for row in rows if row["digest"]}
    assert ("work_experience", "award.jpg", "image/jpeg") in kept
    assert ("supplement", "report.pdf", "application/pdf") in kept
    assert len(stored_files(world)) == 5


def test_the_applicant_sees_what_the_case_waits_for(world: dict[str, Any]) -> None:
    call = world["call"]
    case_id = created(world)
    waiting = call("case", "progress", str(case_id), "--actor", "周明")
    assert waiting.exit_code == 0, waiting.output
    assert "submitted; waiting on the workgroup of the case's society" in waiting.stdout
    assert "3 file(s) held, 1 without a file" in waiting.stdout
    returned = call(
        "case", "act", str(case_id), "return_for_revision", "--actor", WORKGROUP, "--reason", "学历证明不清晰"
    )
    assert returned.exit_code == 0, returned.output
    progress = call("--lang", "zh-CN", "case", "progress", str(case_id), "--actor", "周明")
    assert "waiting on 本案申请人" in progress.stdout
    assert "last reason: 学历证明不清晰" in progress.stdout and "due: resubmission by 2026-01-" in progress.stdout
    assert "applicant may resubmit -> submitted: ready" in progress.stdout
    steps = json.loads(call("case", "progress", str(case_id), "--actor", WORKGROUP, "--json").stdout)
    assert steps["waiting_on"] == "applicant" and steps["due_kind"] == "resubmission"
    refused(call("case", "progress", str(case_id), "--actor", "申请人2"), "may not read")
