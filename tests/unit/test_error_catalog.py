"""The message catalog: every code speaks English and Chinese, names the action, and never a CLI flag."""

from __future__ import annotations

import ast
import string
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from capeval.cli.errors import error_line
from capeval.states import errors
from capeval.states.errors import CapevalError, GuardRefused, InputError, Problem
from capeval.states.guards import EVIDENCE_LABELS
from capeval.states.levels import Level
from capeval.states.messages import LANGUAGES, Term, catalog, render_hint, render_message
from capeval.states.review_policy import AREAS

STATES = Path(errors.__file__).resolve().parent


LAYERS = ("states", "services", "notifications", "models", "cli", "web")
CODED_MODULES = sorted(
    str(path.relative_to(STATES.parent))
    for layer in LAYERS
    for path in (STATES.parent / layer).rglob("*.py")
    if "migrations" not in path.parts
) + ["settings.py"]
"""Every module of the layers and the CLI, held to codes as a whole (a new module is held without being listed)."""


CLI_SYNTAX = ("--", "capeval ")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def texts(entry: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    found = [("message", {language: entry[language] for language in LANGUAGES if language in entry})]
    if "hint" in entry:
        hints = entry["hint"]
        found.append(("hint", {language: hints[language] for language in LANGUAGES if language in hints}))
    return found


@pytest.mark.parametrize("code", sorted(catalog()))
def test_every_code_has_an_english_and_a_chinese_text_with_the_same_parameters(code: str) -> None:
    for part, by_language in texts(catalog()[code]):
        assert set(by_language) == set(LANGUAGES), f"{code} {part}: missing {set(LANGUAGES) - set(by_language)}"
        english, chinese = placeholders(by_language["en"]), placeholders(by_language["zh-CN"])
        assert english == chinese, f"{code} {part}: en has {english}, zh-CN has {chinese}"


@pytest.mark.parametrize("code", sorted(catalog()))
def test_every_code_renders_in_both_languages_with_sample_parameters(code: str) -> None:
    entry = catalog()[code]
    names = placeholders(entry["en"]) | placeholders(entry.get("hint", {}).get("en", ""))
    params = {name: f"<{name}>" for name in names}
    for language in LANGUAGES:
        message = render_message(code, params, language)
        hint = render_hint(code, params, language)
        assert message.strip() and "{" not in message
        assert all(f"<{name}>" in message + (hint or "") for name in names)
        assert (hint is None) == ("hint" not in entry)
    words = "".join(text for text, _, _, _ in string.Formatter().parse(entry["zh-CN"]))
    assert not words.strip() or any("\u4e00" <= char <= "\u9fff" for char in words), f"{code}: zh-CN is not Chinese"


@pytest.mark.parametrize("code", sorted(catalog()))
def test_no_message_or_hint_names_a_cli_flag_or_command(code: str) -> None:
    for part, by_language in texts(catalog()[code]):
        for language, text in by_language.items():
            assert not any(syntax in text for syntax in CLI_SYNTAX), f"{code} {part} {language}: {text}"


def test_every_term_built_from_a_domain_value_is_in_the_catalog() -> None:
    codes = (
        [f"level_{level.value}" for level in Level]
        + [f"evidence_{kind}" for kind in EVIDENCE_LABELS]
        + [f"area_{area}" for area in AREAS]
        + [f"interview_part_{part}" for part in ("presentation", "questions", "deliberation")]
        + [f"weekday_{day}" for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")]
    )
    assert [code for code in codes if code not in catalog()] == []


def _error_classes() -> set[str]:
    return {name for name, value in vars(errors).items() if isinstance(value, type) and issubclass(value, CapevalError)}


_OWN_CONSTRUCTORS = {"GuardRefused", "IllegalTransition", "UnpublishedYearError"}
"""Errors that build their code themselves from typed arguments."""


def _coded_calls(tree: ast.AST) -> list[ast.Call]:
    wanted = (_error_classes() - _OWN_CONSTRUCTORS) | {"Problem", "DeliveryError"}
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in wanted:
            calls.append(node)
    return calls


def _trees(module: str) -> list[ast.AST]:
    tree = ast.parse((STATES.parent / module).read_text(encoding="utf-8"))
    return [tree]


def _given(call: ast.Call) -> set[str] | None:
    """The parameter names a call passes, or None when they cannot be read statically."""
    names = set()
    for keyword in call.keywords:
        if keyword.arg is None:
            return None
        names.add(keyword.arg)
    if len(call.args) > 1:
        params = call.args[1]
        if not isinstance(params, ast.Dict) or not all(isinstance(key, ast.Constant) for key in params.keys):
            return None
        names |= {str(key.value) for key in params.keys if isinstance(key, ast.Constant)}
    return names


ERROR_TYPES = {"states/errors.py", "notifications/message.py"}
"""The error types themselves: they take the code as a parameter."""

ADDED_WHEN_RAISED = {"origin", "table"}
"""Where a policy came from: added to a policy's broken rule when the validator raises it."""


def _reraises_a_problem(call: ast.Call) -> bool:
    """`raise InputError(problem.code, ...)`: a coded Problem raised as an error."""
    first = call.args[0] if call.args else None
    return isinstance(first, ast.Attribute) and first.attr == "code"


@pytest.mark.parametrize("module", CODED_MODULES)
def test_every_error_raised_and_every_problem_returned_passes_a_catalog_code(module: str) -> None:
    calls = [call for tree in _trees(module) for call in _coded_calls(tree)]
    for call in calls:
        where = f"{module}:{call.lineno}"
        if module in ERROR_TYPES or _reraises_a_problem(call):
            continue
        assert call.args and isinstance(call.args[0], ast.Constant), f"{where}: the first argument must be a code"
        code = call.args[0].value
        assert code in catalog(), f"{where}: '{code}' is not in the catalog"
        given = _given(call)
        if given is not None:
            entry = catalog()[code]
            needed = placeholders(entry["en"]) | placeholders(entry.get("hint", {}).get("en", ""))
            if code.startswith("policy_"):
                needed -= ADDED_WHEN_RAISED
            assert needed <= given, f"{where}: '{code}' needs {needed - given}"


def test_the_check_of_raised_codes_finds_free_text() -> None:
    tree = ast.parse('raise InputError(f"--members must be at least 1, not {members}")')
    [call] = _coded_calls(tree)
    assert not isinstance(call.args[0], ast.Constant)


def test_an_error_is_its_code_and_parameters_rendered_in_the_language_asked() -> None:
    error = InputError("id_number_check_character")
    assert error.code == "id_number_check_character" and dict(error.params) == {}
    assert error.message() == "the ID number's check character is wrong"
    assert error.hint() == "check the number for a typing error"
    assert error.message("zh-CN") == "身份证号码的校验码不正确"
    assert str(error) == "the ID number's check character is wrong; check the number for a typing error"
    assert error.text("zh-CN") == "身份证号码的校验码不正确；请检查号码是否输入有误"


def test_parameters_are_rendered_dates_in_iso_form_lists_joined_and_terms_translated() -> None:
    problem = Problem("guard_resubmission_window_open", {"due_on": date(2026, 2, 27)})
    assert problem.text() == "the applicant may still resubmit until 2026-02-27; wait until the window has closed"
    assert problem.message("zh-CN") == "申请人在2026-02-27前仍可重新提交"
    skipped = Problem(
        "guard_upgrade_skips_level",
        {"current": Term("level_apprentice"), "wanted": Term("level_professional"), "asked": Term("level_senior")},
    )
    assert "from apprentice must ask for professional, not senior" in skipped.message()
    assert skipped.hint("zh-CN") == "请申请专业工程会员"
    listed = Problem("cpd_policy_unknown", {"name": "x", "choices": ["cpd-2024", "ce-2026"]})
    assert listed.hint() == "choose one of cpd-2024, ce-2026"
    assert listed.hint("zh-CN") == "请从以下政策中选择：cpd-2024、ce-2026"


def test_a_refusal_by_several_guards_renders_each_reason_with_its_hint() -> None:
    refused = GuardRefused(
        [("reason_given", Problem("guard_reason_given")), ("commitment_signed", Problem("guard_commitment_signed"))]
    )
    assert refused.guard == "reason_given, commitment_signed"
    assert refused.reason == (
        "this action needs a reason that the applicant will read; give a reason; "
        "the commitment letter (工程会员承诺书) is not signed; the applicant must sign it before submitting"
    )
    assert refused.message("zh-CN") == (
        "此操作须填写理由，申请人将看到该理由；请填写理由；《工程会员承诺书》尚未签署；申请人须在提交前签署"
    )


def test_an_uncoded_english_text_is_shown_as_it_is_for_now() -> None:
    assert str(InputError("the file has no title")) == "the file has no title"
    assert GuardRefused([("old_rule", "an old reason")]).reason == "an old reason"


def test_a_parameter_the_call_forgot_shows_its_placeholder_instead_of_failing() -> None:
    assert render_message("guard_society_authorized", {"society": "CCES"}) == (
        "society 'CCES' is not authorized to evaluate the field '{field}'"
    )


_CLI_LINES = [
    ("cli_working_days_count_not_whole", {"count": "x"}, "N must be a whole number, not 'x'"),
    (
        "cli_evidence_malformed",
        {"pair": "diploma"},
        "--evidence 'diploma' must look like KIND=REFERENCE, e.g. education=diploma.pdf",
    ),
    ("cli_batch_size_too_small", {}, "--batch-size must be at least 1"),
    ("cli_reminder_days_too_small", {}, "--remind: days before expiry must be at least 1"),
    (
        "cli_cpd_year_mismatch",
        {"path": Path("cpd.json"), "file_year": 2025, "year": 2026},
        "cpd.json: year: the file is for 2025, but --year is 2026",
    ),
    ("cli_cpd_activities_not_list", {"path": Path("a.json")}, "a.json: activities: must be a list"),
    ("cli_cpd_activity_missing", {}, "give --file, or at least --kind and --date"),
    (
        "cli_transcript_columns_missing",
        {"path": Path("t.csv"), "missing": ["minutes", "title"], "columns": ("date", "minutes", "title")},
        "t.csv: missing column(s) minutes, title; need date, minutes, title",
    ),
    (
        "cli_transcript_minutes_not_whole",
        {"path": Path("t.csv"), "line": 3, "got": repr("ten")},
        "t.csv: line 3: minutes: must be a whole number, got 'ten'",
    ),
    ("cli_transcript_empty", {"path": Path("t.csv")}, "t.csv: the transcript has no rows"),
    ("cli_cpd_policy_actor_missing", {}, "--actor: say who chooses the policy"),
    ("cli_panel_malformed", {"text": "a,b"}, "--panel 'a,b' must be examiner ids separated by commas, e.g. 3,5,8"),
    (
        "cli_language_unknown",
        {"choices": ["zh-CN", "en"], "language": "fr"},
        "--language must be one of zh-CN, en, not 'fr'",
    ),
    (
        "cli_outbox_status_unknown",
        {"choices": ["queued", "dead"], "status": "x"},
        "--status must be one of queued, dead, not 'x'",
    ),
    (
        "cli_resolution_subject_malformed",
        {"text": "case", "choices": ["application", "appeal"]},
        "--subject 'case' must look like KIND:REF with KIND one of application, appeal",
    ),
    ("cli_count_not_whole", {"name": "--members", "text": "nine"}, "--members must be a whole number, not 'nine'"),
    (
        "cli_level_unknown",
        {"level": "master", "choices": ["apprentice", "senior"]},
        "--level 'master' is not a level; use one of: apprentice, senior",
    ),
    ("template_unknown", {"template": "x.y"}, "no template 'x.y'; 'capeval notify templates' lists them"),
]
"""What the CLI printed in English before its errors became codes, to the byte."""


@pytest.mark.parametrize(("code", "params", "line"), _CLI_LINES, ids=[code for code, _, _ in _CLI_LINES])
def test_the_cli_prints_its_own_errors_in_the_english_it_always_printed(
    code: str, params: dict[str, Any], line: str
) -> None:
    error = InputError(code, **params)
    assert error_line(error, "en") == f"error: {line}"
    assert error_line(error, "zh-CN").startswith("error: ") and error.message("zh-CN") not in ("", line)
