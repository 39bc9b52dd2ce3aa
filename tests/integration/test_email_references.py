"""Cases are known by their references; the dispatcher writes each email in its society's name with that
reference, indexes the .eml files, and states what the CPD evaluation and the renewal policy found."""

from __future__ import annotations

import csv
import dataclasses
import email
from email.policy import default
from pathlib import Path

import pytest

from capeval.models import OutboxMessage
from capeval.notifications.compose import stationery, write
from capeval.notifications.dispatch import dispatch_due
from capeval.notifications.files import INDEX, FileSender
from capeval.services.references import case_id_for, case_references, outbox_listing
from capeval.services.renewals import run_renewal_sweep
from capeval.services.runtime import Runtime
from capeval.states.clock import FixedClock
from capeval.states.errors import InputError, NotFoundError

from ..factories import at, load_society, submitted_case
from .test_certificates import record_training, registered
from .test_handlers import rows


def test_cases_are_numbered_per_society_and_year_and_found_by_their_reference(runtime: Runtime) -> None:
    load_society(runtime, members=[1, 2])
    first, second = submitted_case(runtime, 1), submitted_case(runtime, 2)
    assert case_references(runtime, [first, second]) == {first: "CES-2026-0001", second: "CES-2026-0002"}
    assert case_id_for(runtime, "ces-2026-0002") == second
    assert case_id_for(runtime, str(first)) == first
    with pytest.raises(NotFoundError, match="CES-2026-0009"):
        case_id_for(runtime, "CES-2026-0009")
    with pytest.raises(InputError):
        case_id_for(runtime, "case four")


def test_the_dispatcher_writes_in_the_societys_name_with_the_reference_and_indexes_the_files(
    runtime: Runtime, tmp_path: Path
) -> None:
    load_society(runtime, members=[1])
    case_id = submitted_case(runtime, 1)
    (reference,) = case_references(runtime, [case_id]).values()
    report = dispatch_due(runtime, lambda: FileSender(tmp_path), identity=runtime.mail_identity)
    assert report.sent == 1
    (eml,) = tmp_path.glob("*.eml")
    sent = email.message_from_bytes(eml.read_bytes(), policy=default)
    assert sent["From"].addresses[0].display_name == "中国电工技术学会"
    assert reference in sent["Subject"] and sent["X-Capeval-Reference"] == reference
    assert f"/cases/{reference}" in sent.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    with (tmp_path / INDEX).open(encoding="utf-8") as index:
        (line,) = list(csv.DictReader(index, delimiter="\t"))
    assert (line["file"], line["reference"], line["subject"]) == (eml.name, reference, str(sent["Subject"]))
    (listed,) = outbox_listing(runtime, None, 10)
    assert listed.subject == str(sent["Subject"]) and listed.reference == reference
    assert listed.recipient.endswith(f"<{sent['To'].addresses[0].addr_spec}>")


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_cpd_and_renewal_messages_state_what_the_sweep_evaluated(
    runtime: Runtime, clock: FixedClock, language: str
) -> None:
    load_society(runtime, members=[1])
    number = registered(runtime, 1)
    record_training(runtime, number, 2026, 12)
    for when in ("2026-11-01", "2030-07-08"):
        clock.set(at(when))
        run_renewal_sweep(runtime)
    messages = {m.template: m for m in rows(runtime, OutboxMessage)}
    warning, reminder = messages["certificate.cpd_shortfall"], messages["certificate.renewal_reminder"]
    assert [(r["needed"], r["counted"], r["shortfall"]) for r in warning.context["requirements"]] == [(50, 12, 38)]
    with runtime.unit_of_work() as uow:
        paper = stationery(uow, [warning, reminder], runtime.mail_identity)
    cpd = write(warning.template, language, warning.context, paper, warning.application_id)[0]
    assert "38" in cpd.subject and all(str(n) in cpd.text for n in (50, 12, 38))
    assert "total" not in cpd.text and " h " not in cpd.text
    renewal = write(reminder.template, language, reminder.context, paper, reminder.application_id)[0]
    window = runtime.policies.renewal.renewal_window_days
    assert str(reminder.context["days_before"]) in renewal.text and str(window) in renewal.text
    assert f"/certificates/{number}/renewal" in renewal.text


def test_a_longer_resubmission_period_is_what_the_return_notice_says(runtime: Runtime) -> None:
    runtime.policies = dataclasses.replace(
        runtime.policies, pipeline=dataclasses.replace(runtime.policies.pipeline, resubmission_working_days=15)
    )
    from capeval.states.application import Action

    from ..factories import act

    load_society(runtime, members=[1])
    case_id = submitted_case(runtime, 1)
    act(runtime, case_id, Action.RETURN_FOR_REVISION, "身份证复印件缺少反面")
    (returned,) = [m for m in rows(runtime, OutboxMessage) if m.template == "application.return_for_revision"]
    with runtime.unit_of_work() as uow:
        paper = stationery(uow, [returned], runtime.mail_identity)
    text = write(returned.template, "zh-CN", returned.context, paper, returned.application_id)[0].text
    assert "退回通知后15个工作日" in text and "10个工作日" not in text


def test_a_broken_society_template_dead_letters_the_message_with_its_line_and_nothing_is_sent(
    runtime: Runtime, tmp_path: Path
) -> None:
    load_society(runtime, members=[1])
    submitted_case(runtime, 1)
    own = tmp_path / "templates" / "CES" / "zh-CN" / "application.submit.j2"
    own.parent.mkdir(parents=True)
    own.write_text(
        "{% extends layout %}\n{% block subject %}{{ case_number }}{% endblock %}\n{% block body %}{% endblock %}"
    )
    identity = dataclasses.replace(runtime.mail_identity, templates_dir=tmp_path / "templates")
    report = dispatch_due(runtime, lambda: FileSender(tmp_path / "mail"), identity=identity)
    assert (report.sent, report.dead) == (0, 1)
    assert not list((tmp_path / "mail").glob("*.eml"))
    (message,) = rows(runtime, OutboxMessage)
    assert message.status == "dead" and "line 2" in message.last_error and "case_number" in message.last_error


def test_cases_opened_at_once_in_one_society_get_consecutive_references(runtime: Runtime) -> None:
    import threading

    from capeval.services.handlers import handle

    from ..factories import application_order

    load_society(runtime, members=[1, 2, 3, 4])
    start = threading.Barrier(4)
    opened: list[int] = []
    failed: list[BaseException] = []

    def open_case(serial: int) -> None:
        start.wait()
        try:
            opened.append(handle(runtime, application_order(serial)).case_id)
        except BaseException as error:  # noqa: BLE001 - reported below
            failed.append(error)

    threads = [threading.Thread(target=open_case, args=(serial,)) for serial in (1, 2, 3, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failed == []
    assert sorted(case_references(runtime, opened).values()) == [f"CES-2026-000{n}" for n in (1, 2, 3, 4)]
