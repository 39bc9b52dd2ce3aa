"""Errors of the services are codes: a message in English and Chinese, and the CLI's own flags only at the CLI."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from capeval.cli.errors import error_line
from capeval.services import documents
from capeval.services.documents import Fields, application_command, read_document
from capeval.states.errors import InputError, NotFoundError
from capeval.states.levels import Level
from capeval.states.messages import Term

SERVICES = Path(documents.__file__).resolve().parent
CODED_SERVICES = [
    "review",
    "review_support",
    "review_sweep",
    "documents",
    "interviews",
    "handlers",
    "register",
    "directory",
    "queries",
    "facts",
    "sweeps",
    "calendar_store",
    "reminders",
]
CLI_SYNTAX = re.compile(r"(^|[\s'(])--[a-z]|'capeval [a-z]")


@pytest.mark.parametrize("module", CODED_SERVICES)
def test_no_text_of_a_converted_service_names_a_cli_flag_or_command(module: str) -> None:
    tree = ast.parse((SERVICES / f"{module}.py").read_text(encoding="utf-8"))
    texts = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    assert [text for text in texts if CLI_SYNTAX.search(text)] == []


def test_a_malformed_file_is_named_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_document(path)
    assert raised.value.code == "document_invalid_json"
    assert str(raised.value).startswith(f"{path}: not valid JSON (line 1, column 2: ")
    assert raised.value.message("zh-CN").startswith(f"{path}：不是有效的 JSON（第1行第2列：")


def test_a_wrong_choice_names_the_field_and_hints_at_the_choices() -> None:
    with pytest.raises(InputError) as raised:
        Fields({"level": "master"}, "case.toml").choice("level", Level)
    assert str(raised.value) == ("case.toml: field 'level' is 'master'; use one of: apprentice, professional, senior")
    assert raised.value.text("zh-CN") == (
        "case.toml：字段“level”的值“master”无效；请使用以下之一：apprentice、professional、senior"
    )


def test_a_wrong_id_number_in_an_application_file_carries_its_own_reason_and_hint() -> None:
    document = {"applicant": {"name": "x", "id_number": "11010519491231002Y", "email": "x@example.org"}}
    with pytest.raises(InputError) as raised:
        application_command(document, origin="case.toml")
    assert raised.value.code == "document_field_invalid"
    assert str(raised.value).startswith("case.toml: applicant: field 'id_number': the ID number")
    assert raised.value.text("zh-CN").startswith("case.toml: applicant：字段“id_number”：身份证号码")


def test_a_missing_case_hints_at_the_board_and_the_cli_names_its_command() -> None:
    error = NotFoundError("lookup_case_missing", case_id=7)
    assert str(error) == "no case with id 7; the case board lists the cases"
    assert error.text("zh-CN") == "没有编号为7的案件；案件看板列有全部案件"
    assert error_line(error, "en") == "error: no case with id 7; 'capeval case board' lists the cases"
    assert error_line(error, "zh-CN") == "error: 没有编号为7的案件；'capeval case board' 列出全部案件"


def test_a_register_report_with_its_dates_reversed_speaks_of_dates_and_the_cli_of_its_flags() -> None:
    from datetime import date

    error = InputError("register_report_reversed", start=date(2026, 3, 1), end=date(2026, 2, 1))
    assert str(error) == "the end date 2026-02-01 is before the start date 2026-03-01"
    assert error_line(error, "en") == "error: --to 2026-02-01 is before --from 2026-03-01"


def test_an_examiner_below_the_applicants_level_is_refused_with_both_levels_translated() -> None:
    error = NotFoundError(
        "review_examiner_level_too_low",
        examiner_id=3,
        examiner_level=Term("level_professional"),
        applicant_level=Term("level_senior"),
    )
    assert "examiner 3 is a professional member and may not examine a senior applicant" in str(error)
    assert error.message("zh-CN").startswith("考官3为专业工程会员，不得评审申请资深工程会员的申请人")


def test_no_society_loaded_yet_is_said_in_words_of_the_language() -> None:
    error = NotFoundError("case_society_unknown", code="CES", known=Term("lookup_none_loaded"))
    assert str(error) == "no society with code 'CES' (known: none loaded)"
    assert error.message("zh-CN") == "没有代码为“CES”的学会（现有：无）"
