"""Hand-made hostile input: each one is refused in one line with exit 2 and nothing written, never an internal error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result

from ..factories import id_number, society_document
from ..hostile import Prepared, application, invoke, prepare, to_json

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    return prepare(f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'hostile.db'}")


def refused(result: Result, *fragments: str) -> str:
    """The one line of a refusal, after checking it is one (exit 2, nothing on stdout, no internal error)."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ") and "internal error" not in line
    for fragment in fragments:
        assert fragment in line, line
    return line


def write(folder: Path, name: str, content: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


GBK_STATEMENT = "我负责该工程项目的方案设计与实施".encode("gbk")


@pytest.mark.parametrize(
    ("name", "content", "arguments", "expected"),
    [
        (
            "policy.toml",
            "[pipeline]\nresubmission_working_days = 10 # 国务院".encode("gbk"),
            ["--policy", "{f}", "rules", "list"],
            "not UTF-8",
        ),
        (
            "policy.toml",
            "[pipeline]\nresubmission_working_days = 1" + "0" * 5000,
            ["--policy", "{f}", "rules", "list"],
            "beyond",
        ),
        ("policy.toml", "a = " + "[" * 5000, ["--policy", "{f}", "rules", "list"], "levels deep"),
        (
            "policy.toml",
            "[pipeline]\nresubmission_working_days = 1000000000000",
            ["--policy", "{f}", "rules", "list"],
            "pipeline.resubmission_working_days may be at most 1000000",
        ),
        ("2027.toml", "year = 2027\nsource = '国务院'".encode("gbk"), ["calendar", "import", "{f}"], "not UTF-8"),
        ("2027.toml", "year = 1" + "0" * 5000, ["calendar", "import", "{f}"], "beyond"),
        ("society.json", DEEP, ["society", "load", "{f}"], "levels deep"),
        (
            "society.json",
            '{"society": {"code": "X", "name_zh": "\\ud800"}}',
            ["society", "load", "{f}"],
            "lone surrogate",
        ),
        ("society.json", '{"society": {"code": "X", "name_zh": "a\\u0000b"}}', ["society", "load", "{f}"], "NUL"),
        ("application.json", '{"applicant": 1' + "0" * 5000 + "}", ["case", "create", "{f}"], "beyond"),
        ("application.json", '{"applicant": NaN}', ["case", "create", "{f}"], "not a finite number"),
        ("application.json", '{"applicant": 1e999}', ["case", "create", "{f}"], "not a finite number"),
        (
            "statement.txt",
            GBK_STATEMENT,
            ["case", "revise", "{case}", "--actor", "p2", "--statement-file", "{f}"],
            "not UTF-8",
        ),
        (
            "statement.txt",
            "我负责\x00该工程",
            ["case", "revise", "{case}", "--actor", "p2", "--statement-file", "{f}"],
            "NUL",
        ),
        ("record.json", DEEP, ["cpd", "evaluate", "--year", "2026", "--file", "{f}"], "levels deep"),
        (
            "record.json",
            b"\xff\xfe{\x00}\x00",
            ["cpd", "record", "{cert}", "--actor", "{holder}", "--file", "{f}"],
            "not UTF-8",
        ),
        (
            "transcript.csv",
            "date,minutes,title\n2026-03-02,²,安全\n",
            ["cpd", "import", "{cert}", "--csv", "{f}", "--actor", "王秘书"],
            "whole number",
        ),
        (
            "transcript.csv",
            "date,minutes,title\n2026-03-02,６０,安全\n",
            ["cpd", "import", "{cert}", "--csv", "{f}", "--actor", "王秘书"],
            "whole number",
        ),
        (
            "transcript.csv",
            "date,minutes,title\n2026-03-02,60," + "长" * 140_000 + "\n",
            ["cpd", "import", "{cert}", "--csv", "{f}", "--actor", "王秘书"],
            "not readable CSV",
        ),
        (
            "transcript.csv",
            "date,minutes,title\n2026-03-02,60,安全\n".encode("utf-16"),
            ["cpd", "import", "{cert}", "--csv", "{f}", "--actor", "王秘书"],
            "neither UTF-8 nor GBK",
        ),
        (
            "context.json",
            '{"case_id": 1, "due_on": null}',
            ["notify", "preview", "application.return_for_revision", "--context", "{f}"],
            "application.return_for_revision",
        ),
    ],
    ids=[
        "policy-gbk",
        "policy-5000-digits",
        "policy-deep",
        "policy-absurd-rule",
        "calendar-gbk",
        "calendar-5000-digits",
        "directory-100k-deep",
        "directory-lone-surrogate",
        "directory-nul",
        "application-5000-digits",
        "application-nan",
        "application-1e999",
        "statement-gbk",
        "statement-nul",
        "cpd-evaluate-deep",
        "cpd-record-utf16",
        "transcript-superscript-minutes",
        "transcript-fullwidth-minutes",
        "transcript-140k-field",
        "transcript-utf16",
        "notice-context-null-date",
    ],
)
def test_a_hostile_file_is_refused_in_one_line(
    prepared: Prepared, tmp_path: Path, name: str, content: bytes | str, arguments: list[str], expected: str
) -> None:
    path = write(tmp_path, name, content)
    values = {"f": str(path), "case": str(prepared.case_id), "cert": prepared.certificate, "holder": prepared.holder}
    refused(invoke(prepared, [argument.format(**values) for argument in arguments]), expected)


def test_a_transcript_saved_as_gbk_is_still_read(prepared: Prepared, tmp_path: Path) -> None:
    path = write(tmp_path, "gbk.csv", "date,minutes,title\n2026-06-01,90,电气安全\n".encode("gbk"))
    result = invoke(prepared, ["cpd", "import", prepared.certificate, "--csv", str(path), "--actor", "王秘书"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["case", "show", str(2**63)], "CASE_ID: 9223372036854775808 is not an id"),
        (["case", "show", "0"], "CASE_ID: 0 is not an id"),
        (["case", "show", "1" * 5000], "CASE_ID: a number of"),
        (["case", "act", str(2**63), "withdraw", "--actor", "p2"], "is not an id"),
        (["review", "accept", str(2**63), "--actor", "赵考官"], "out of range"),
        (["calendar", "is-working-day", "9999-12-31"], "outside the years 1900-2100"),
        (["--now", "9999-12-31", "case", "board"], "outside the years 1900-2100"),
        (["case", "show", "1e3"], "is neither a case id nor a case reference"),
    ],
    ids=[
        "case-id-2-63",
        "case-id-0",
        "case-id-5000-digits",
        "act-id-2-63",
        "task-id-2-63",
        "date-9999",
        "now-9999",
        "id-not-whole",
    ],
)
def test_an_absurd_number_or_date_is_refused_in_one_line(
    prepared: Prepared, arguments: list[str], expected: str
) -> None:
    refused(invoke(prepared, arguments), expected)


def ledger_size(prepared: Prepared) -> int:
    result = invoke(prepared, ["cpd", "list", prepared.certificate, "--json"])
    assert result.exit_code == 0, result.output
    return len(json.loads(result.stdout)["activities"])


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--minutes", str(10**30)], "0-527040"),
        (["--minutes", "600000"], "0-527040"),
        (["--days", "400"], "1-366"),
        (["--date", "9999-12-31"], "outside the years 1900-2100"),
    ],
    ids=["minutes-10-30", "minutes-over-a-year", "days-over-a-year", "date-9999"],
)
def test_cpd_record_refuses_absurd_values_and_stores_nothing(
    prepared: Prepared, options: list[str], expected: str
) -> None:
    before = ledger_size(prepared)
    base = {"--kind": "training", "--date": "2026-05-06", "--minutes": "60"}
    base.update(dict(zip(options[::2], options[1::2], strict=True)))
    arguments = ["cpd", "record", prepared.certificate, "--actor", prepared.holder]
    result = invoke(prepared, [*arguments, *(part for pair in base.items() for part in pair)])
    refused(result, expected)
    assert ledger_size(prepared) == before


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [("prize", 99, "prize: must be a whole number 1-10"), ("date", "9999-12-31", "outside the years 1900-2100")],
)
def test_a_cpd_file_with_an_absurd_prize_or_date_is_refused(
    prepared: Prepared, tmp_path: Path, field: str, value: object, expected: str
) -> None:
    activity = {"kind": "competition", "date": "2026-05-06", "prize": 1, "title": "竞赛", field: value}
    path = write(tmp_path, "activity.json", json.dumps({"activities": [activity]}))
    refused(
        invoke(prepared, ["cpd", "record", prepared.certificate, "--actor", prepared.holder, "--file", str(path)]),
        expected,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CAPEVAL_SMTP_TIMEOUT", "-1"),
        ("CAPEVAL_SMTP_TIMEOUT", "1e308"),
        ("CAPEVAL_LOCK_TIMEOUT", "0"),
        ("CAPEVAL_CONNECT_TIMEOUT", "nan"),
        ("CAPEVAL_STATEMENT_TIMEOUT", "99999"),
        ("CAPEVAL_IDLE_PING_AFTER", "-5"),
        ("CAPEVAL_WEB_PORT", "0"),
    ],
)
def test_an_absurd_setting_is_refused_in_one_line(prepared: Prepared, variable: str, value: str) -> None:
    refused(invoke(prepared, ["case", "board"], env={variable: value}), variable)


def test_a_refused_submit_leaves_no_draft_and_running_it_again_makes_no_duplicate(
    prepared: Prepared, tmp_path: Path
) -> None:
    document = application(40)
    document["evidence"] = []
    path = write(tmp_path, "incomplete.json", to_json(document))
    board = invoke(prepared, ["case", "board", "--json"]).stdout
    for _ in range(2):
        refused(invoke(prepared, ["case", "create", str(path), "--submit"]), "required evidence is missing")
    assert invoke(prepared, ["case", "board", "--json"]).stdout == board


def test_a_second_application_for_the_same_level_is_refused_while_the_first_is_open(
    prepared: Prepared, tmp_path: Path
) -> None:
    path = write(tmp_path, "twice.json", to_json(application(41)))
    first = invoke(prepared, ["case", "create", str(path), "--json"])
    assert first.exit_code == 0, first.output
    case_id = json.loads(first.stdout)["case_id"]
    refused(invoke(prepared, ["case", "create", str(path), "--submit"]), f"already has open case {case_id}")


def test_fullwidth_digits_of_an_id_number_are_read_as_ascii(prepared: Prepared, tmp_path: Path) -> None:
    document = application(42)
    plain = document["applicant"]["id_number"]
    document["applicant"]["id_number"] = plain.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    created = invoke(prepared, ["case", "create", str(write(tmp_path, "fullwidth.json", to_json(document))), "--json"])
    assert created.exit_code == 0, created.output
    shown = json.loads(invoke(prepared, ["case", "show", str(json.loads(created.stdout)["case_id"]), "--json"]).stdout)
    assert shown["applicant"]["id_number"] == plain[:6] + "*" * 12


def test_other_scripts_digits_in_an_id_number_are_refused(prepared: Prepared, tmp_path: Path) -> None:
    document = application(43)
    document["applicant"]["id_number"] = "١" + document["applicant"]["id_number"][1:]
    refused(invoke(prepared, ["case", "create", str(write(tmp_path, "arabic.json", to_json(document)))]), "id_number")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"name": "张三\nBcc: x@example.org"}, "line break or control character"),
        ({"name": "张\x1b[31m三"}, "line break or control character"),
        ({"name": "名" * 101}, "101 characters, at most 100"),
        ({"email": "p44@example.cn\r\nBcc: x@example.org"}, "is not an email address"),
        ({"email": "not-an-address"}, "is not an email address"),
        ({"email": "a" * 190 + "@example.cn"}, "at most 200"),
    ],
    ids=["name-newline", "name-escape", "name-too-long", "email-crlf", "email-syntax", "email-too-long"],
)
def test_names_and_addresses_are_checked_where_an_application_enters(
    prepared: Prepared, tmp_path: Path, change: dict[str, str], expected: str
) -> None:
    document = application(44)
    document["applicant"].update(change)
    refused(invoke(prepared, ["case", "create", str(write(tmp_path, "named.json", to_json(document)))]), expected)


@pytest.mark.parametrize(
    ("section", "change", "expected"),
    [
        ("member", {"name": "李\r\n四"}, "line break or control character"),
        ("member", {"email": "李四@@example.cn"}, "is not an email address"),
        ("workgroup", {"name": ""}, "must be a non-empty string"),
    ],
    ids=["member-crlf", "member-email", "workgroup-empty-name"],
)
def test_names_and_addresses_are_checked_where_a_directory_enters(
    prepared: Prepared, tmp_path: Path, section: str, change: dict[str, str], expected: str
) -> None:
    document = society_document([45])
    document[section][0].update(change)
    refused(invoke(prepared, ["society", "load", str(write(tmp_path, "society.json", to_json(document)))]), expected)


def test_an_evidence_reference_longer_than_its_column_is_refused_on_sqlite_too(
    prepared: Prepared, tmp_path: Path
) -> None:
    document = application(46)
    document["evidence"][0]["reference"] = "r" * 501
    path = write(tmp_path, "long-reference.json", to_json(document))
    refused(invoke(prepared, ["case", "create", str(path)]), "evidence_item.reference: 501 characters, at most 500")
    assert id_number(46) not in invoke(prepared, ["case", "board", "--json"]).stdout
