"""Governance errors are codes: the domain names the action, the CLI names its flags, both languages read well."""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path

import pytest

from capeval.cli.errors import CLI_HINTS, CLI_MESSAGES, error_line
from capeval.states import appeals, feedback
from capeval.states.errors import GuardRefused, InputError, NotFoundError
from capeval.states.governance import Body, GovernanceFacts, PersonRef
from capeval.states.messages import Term, catalog

PACKAGE = Path(__file__).resolve().parents[2] / "capeval"
GOVERNANCE_MODULES = [
    "services/appeals.py",
    "services/authorizations.py",
    "services/resolutions.py",
    "services/feedback.py",
    "services/governance_steps.py",
    "services/governance_sweep.py",
    "states/governance.py",
    "states/appeals.py",
    "states/feedback.py",
    "states/authorization.py",
]


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_the_cli_words_a_missing_field_with_its_flag_and_the_domain_does_not() -> None:
    error = InputError("feedback_sender_required")
    assert "--" not in str(error)
    assert error_line(error, "en") == (
        "error: --sender is required: feedback must be in writing and say who sends it (Q&A Q40)"
    )
    assert error_line(error, "zh-CN").startswith("error: 须填写来信人姓名")


def test_an_unknown_society_points_to_the_load_command_only_on_the_cli() -> None:
    error = NotFoundError("authorization_society_not_found", code="NOPE")
    assert str(error) == "no society with code 'NOPE'; load the society first"
    assert error_line(error, "en") == "error: no society with code 'NOPE'; load it with 'capeval society load'"


def test_a_decision_without_a_resolution_names_the_body_in_each_language() -> None:
    facts = GovernanceFacts(today=date(2026, 5, 12), reason="理由", required_body=Body.IMPARTIALITY_COMMITTEE)
    with pytest.raises(GuardRefused) as refused:
        appeals.WORKFLOW.advance(appeals.AppealStage.UNDER_REVIEW, appeals.AppealAction.DISMISS, facts)
    assert refused.value.guard == "valid_resolution_cited"
    assert "must cite a resolution of the impartiality_committee" in str(refused.value)
    assert refused.value.message("zh-CN") == "此决定须援引公正性委员会的决议；请先登记会议决议"
    assert "'capeval resolution record'" in error_line(refused.value, "en")


def test_conflicted_investigators_are_listed_in_each_language() -> None:
    facts = GovernanceFacts(
        today=date(2026, 5, 12),
        appointees=(PersonRef(2, "赵考官"), PersonRef(1, "王秘书")),
        participants=frozenset({1, 2}),
    )
    with pytest.raises(GuardRefused) as refused:
        feedback.WORKFLOW.advance(
            feedback.FeedbackStage.REGISTERED, feedback.FeedbackAction.ASSIGN_INVESTIGATORS, facts
        )
    assert str(refused.value).startswith("王秘书, 赵考官 took part in the matter")
    assert refused.value.message("zh-CN").startswith("王秘书、赵考官曾参与该事项")


def test_a_missing_case_reference_names_the_kind_of_case_in_chinese() -> None:
    error = NotFoundError("governance_reference_not_found", kind=Term("governance_kind_appeal"), reference="AP-1")
    assert error.message() == "no appeal with reference 'AP-1'"
    assert error.message("zh-CN") == "没有编号为“AP-1”的申诉"


def test_every_governance_kind_body_and_appeal_subject_is_a_word_of_the_catalog() -> None:
    codes = (
        [f"governance_kind_{kind}" for kind in ("feedback", "appeal", "authorization")]
        + [f"body_{body.value}" for body in Body]
        + [f"appeal_subject_{subject.value}" for subject in appeals.Subject]
    )
    assert [code for code in codes if code not in catalog()] == []


@pytest.mark.parametrize("code", sorted(set(CLI_MESSAGES) | set(CLI_HINTS)))
def test_every_cli_wording_words_a_catalog_code_with_only_its_parameters(code: str) -> None:
    entry = catalog()[code]
    known = placeholders(entry["en"]) | placeholders(entry.get("hint", {}).get("en", ""))
    for wording in (CLI_MESSAGES.get(code, {}), CLI_HINTS.get(code, {})):
        for text in wording.values():
            assert placeholders(text) <= known, f"{code}: {text}"


@pytest.mark.parametrize("module", GOVERNANCE_MODULES)
def test_governance_modules_speak_no_cli_and_build_no_notice(module: str) -> None:
    text = (PACKAGE / module).read_text(encoding="utf-8")
    assert not any(syntax in text for syntax in ('"--', "'--", "'capeval ")), module
    assert "Notice(" not in text and "notifications.outbox" not in text, module
