"""Certificate, review-task, outbox and delivery errors are codes: both languages, and the CLI adds its flags."""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest

from capeval.cli.errors import error_line
from capeval.notifications.compose import render_message
from capeval.notifications.files import FileSender
from capeval.notifications.message import DeliveryError
from capeval.notifications.samples import sample_context
from capeval.states.certificates import CertificateFacts, Change, Status, change_status
from capeval.states.engine import changed_by_someone_else
from capeval.states.errors import ConcurrencyConflict, GuardRefused, InputError
from capeval.states.messages import Term, catalog
from capeval.states.review import TaskAction, TaskState, advance_task

EXPIRES = date(2031, 4, 26)


def refusal(status: Status, change: Change, facts: CertificateFacts) -> GuardRefused:
    with pytest.raises(GuardRefused) as refused:
        change_status(status, change, facts)
    return refused.value


def test_a_change_without_a_reason_is_refused_with_a_code_and_the_cli_names_its_flag() -> None:
    refused = refusal(Status.ACTIVE, Change.SUSPEND, CertificateFacts(date(2030, 1, 1), EXPIRES))
    assert [problem.code for problem in refused.reasons] == ["guard_certificate_reason_given"]
    assert "--reason" not in str(refused) and str(refused).endswith("; give a reason")
    assert error_line(refused, "en").endswith("reported to the federation; give a reason with --reason")
    assert error_line(refused, "zh-CN") == "error: 此项变更将在注册名录中公布并报送联合会；请用 --reason 填写理由"


def test_a_renewal_not_applied_for_names_the_action_and_the_cli_names_the_command() -> None:
    facts = CertificateFacts(date(2031, 1, 5), EXPIRES, holder_membership="active")
    refused = refusal(Status.ACTIVE, Change.RENEW, facts)
    assert "capeval" not in str(refused) and str(refused).endswith("; apply first")
    assert error_line(refused, "en").endswith("apply first ('capeval certificate apply-renewal')")


def test_a_cpd_shortfall_lists_each_year_and_requirement_in_both_languages() -> None:
    shortfall = {2028: {"total": 5}, 2027: {"total": 40, "professional": 60}}
    facts = CertificateFacts(
        EXPIRES, EXPIRES, cpd_shortfall=shortfall, renewal_requested_on=EXPIRES, holder_membership="active"
    )
    refused = refusal(Status.ACTIVE, Change.RENEW, facts)
    assert "(2027: total short by 40 h, professional short by 60 h; 2028: total short by 5 h)" in str(refused)
    assert "2027年：total差40学时、professional差60学时；2028年：total差5学时" in refused.message("zh-CN")


def test_a_review_task_move_without_a_reason_names_the_action_in_the_language_asked() -> None:
    with pytest.raises(InputError) as refused:
        advance_task(TaskState.INVITED, TaskAction.DECLINE, " ")
    assert refused.value.code == "task_reason_required"
    assert refused.value.message() == "a reason is required to decline a review task"
    assert refused.value.message("zh-CN") == "谢绝评审任务须填写理由"
    assert error_line(refused.value, "en").endswith("; give one with --reason")


def test_every_review_task_action_has_a_word_in_the_catalog() -> None:
    assert [action for action in TaskAction if f"task_action_{action.value}" not in catalog()] == []


def test_a_conflict_names_its_subject_in_the_language_asked() -> None:
    error = changed_by_someone_else(Term("subject_certificate", {"number": "CE-DES-ELEC-2026-00001"}))
    assert isinstance(error, ConcurrencyConflict)
    assert error.message().startswith("certificate CE-DES-ELEC-2026-00001 was changed by someone else")
    assert error.message("zh-CN").startswith("证书CE-DES-ELEC-2026-00001在读取之后已被他人修改")


def test_an_unknown_template_is_a_code_and_only_the_cli_names_the_command_that_lists_them() -> None:
    with pytest.raises(InputError) as unknown:
        render_message("application.nothing", "en", sample_context("application.submit"))
    assert unknown.value.code == "template_unknown" and "capeval" not in str(unknown.value)
    assert error_line(unknown.value, "en").endswith("; 'capeval notify templates' lists them")


def test_a_delivery_error_carries_its_code_and_records_its_english_text(tmp_path: Path) -> None:
    error = DeliveryError("delivery_replied", where="mail:25", reply_code=451, reply="try later")
    assert str(error) == "mail:25 replied 451 try later" and not error.permanent
    assert error.problem.message("zh-CN") == "邮件服务器mail:25答复451 try later"
    email = EmailMessage()
    email["Message-ID"] = "<one@capeval.localhost>"
    with pytest.raises(DeliveryError) as failed, FileSender(tmp_path / "out") as sender:
        (tmp_path / "out").rmdir()
        sender.send(email)
    assert failed.value.problem.code == "delivery_cannot_write" and "cannot write" in str(failed.value)
