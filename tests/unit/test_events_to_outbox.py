"""Domain events become outbox messages: one template and recipient per event, one place builds a row."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast

from capeval.models.unit_of_work import UnitOfWork
from capeval.notifications.notices import notices, publish
from capeval.notifications.outbox import Notice, outbox_row
from capeval.states.application import Action
from capeval.states.certificates import Change
from capeval.states.events import (
    APPLICATION_EVENTS,
    CERTIFICATE_EVENTS,
    ApplicationReturned,
    CertificateRenewed,
    CertificateSuspended,
    InterviewScheduled,
    Recipient,
    ReviewTaskInvited,
    ReviewTaskOverdue,
)

NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
APPLICANT = Recipient("李工", "li@example.cn", "zh-CN", 5)
PACKAGE = Path(__file__).resolve().parents[2] / "capeval"
TEMPLATES = PACKAGE / "notifications" / "templates"


class RecordingOutbox:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def append(self, values: dict[str, Any]) -> None:
        self.rows.append(values)

    def append_all(self, rows: list[dict[str, Any]]) -> None:
        self.rows.extend(rows)


class RecordingUnitOfWork:
    def __init__(self) -> None:
        self.outbox = RecordingOutbox()


def returned() -> ApplicationReturned:
    return ApplicationReturned(
        case_id=7,
        version=3,
        applicant=APPLICANT,
        stage="returned",
        previous_stage="submitted",
        reason="补充学历证明",
        field_code="0812",
        level="professional",
        due_on=date(2026, 3, 24),
    )


def test_a_returned_application_tells_the_applicant_the_reason_and_the_due_date_once_per_version() -> None:
    uow = RecordingUnitOfWork()
    publish(cast(UnitOfWork, uow), [returned()], NOW)
    [row] = uow.outbox.rows
    assert row["dedupe_key"] == "application:7:v3:application.return_for_revision:5"
    assert row["template"] == "application.return_for_revision"
    assert (row["recipient_name"], row["recipient_email"], row["language"]) == ("李工", "li@example.cn", "zh-CN")
    assert row["context"] == {
        "case_id": 7,
        "applicant_name": "李工",
        "action": "return_for_revision",
        "stage": "returned",
        "previous_stage": "submitted",
        "reason": "补充学历证明",
        "field_code": "0812",
        "level": "professional",
        "due_on": "2026-03-24",
        "due_provisional": False,
    }
    assert (row["application_id"], row["status"], row["attempts"], row["next_attempt_at"]) == (7, "pending", 0, NOW)


def test_every_application_action_announces_an_event_whose_template_exists() -> None:
    assert set(APPLICATION_EVENTS) == set(Action)
    for action, event in APPLICATION_EVENTS.items():
        assert event.ACTION is action
        assert (TEMPLATES / "en" / f"application.{action.value}.j2").is_file()
        assert (TEMPLATES / "zh-CN" / f"application.{action.value}.j2").is_file()


def test_every_certificate_change_but_issue_announces_a_status_change_to_the_holder() -> None:
    assert set(CERTIFICATE_EVENTS) == set(Change) - {Change.ISSUE}
    suspended = CertificateSuspended(
        1, 9, "CE-CIE-0812-2026-00001", 7, APPLICANT, "suspended", "复核", date(2026, 3, 10)
    )
    [notice] = notices(suspended)
    assert notice.dedupe_key == "certificate:1:h9:status_changed"
    assert notice.template == "certificate.status_changed"
    assert "expires_on" not in notice.context
    renewed = CertificateRenewed(
        1, 10, "CE-CIE-0812-2026-00001", 7, APPLICANT, "active", "", NOW.date(), date(2036, 1, 1)
    )
    assert notices(renewed)[0].context["expires_on"] == "2036-01-01"


def test_review_task_events_keep_their_dedupe_keys_and_an_overdue_reminder_is_keyed_by_its_day() -> None:
    invited = ReviewTaskInvited(4, 7, 1, date(2026, 3, 20), APPLICANT, {"field_code": "0812"})
    overdue = ReviewTaskOverdue(4, 7, 1, date(2026, 3, 20), APPLICANT, on=date(2026, 3, 25))
    assert notices(invited)[0].dedupe_key == "review_task:4:review.invited"
    assert notices(invited)[0].context["field_code"] == "0812"
    assert notices(overdue)[0].dedupe_key == "review_task:4:review.reminder_overdue:2026-03-25"


def test_an_interview_notice_goes_to_the_applicant() -> None:
    event = InterviewScheduled(3, 7, APPLICANT, "2026-04-01T09:00:00+08:00", "北京", "", 50, "0812", "senior")
    [notice] = notices(event)
    assert (notice.dedupe_key, notice.recipient) == ("interview:3:interview.notice:5", APPLICANT)


def test_a_notice_becomes_a_pending_row_due_at_once() -> None:
    row = outbox_row(Notice("k", "t", Recipient("a", "a@b.c"), {"x": 1}), NOW)
    assert row == {
        "dedupe_key": "k",
        "template": "t",
        "recipient_name": "a",
        "recipient_email": "a@b.c",
        "language": "zh-CN",
        "context": {"x": 1},
        "application_id": None,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": NOW,
        "created_at": NOW,
        "last_error": "",
    }


def test_only_the_outbox_writer_builds_an_outbox_row() -> None:
    builders = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if '"last_error": ""' in path.read_text(encoding="utf-8")
    ]
    assert builders == ["notifications/outbox.py"]
