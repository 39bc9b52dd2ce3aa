"""Governance decisions and overdue steps are events; notifications turn each into the message people get."""

from __future__ import annotations

from datetime import date

import pytest

from capeval.notifications.compose import render_message
from capeval.notifications.notices import notices
from capeval.notifications.rendering import LANGUAGES, template_names
from capeval.states.authorization import AuthorizationStage
from capeval.states.events import (
    AUTHORIZATION_EVENTS,
    AppealDecided,
    AppealLodged,
    AuthorizationGranted,
    AuthorizationRefused,
    AuthorizationWithdrawn,
    Event,
    FeedbackAnswered,
    FeedbackReceived,
    GovernanceStepEscalated,
    GovernanceStepOverdue,
    Recipient,
)

SENDER = Recipient("李四", "l@example.cn")
SOCIETY = Recipient("中国土木工程学会", "cces@example.cn")
COMMITTEE = Recipient("公正性委员会", "impartiality@example.cn")

EVENTS: list[Event] = [
    FeedbackReceived(3, 1, "FB-2026-0001", SENDER, "建议", 7),
    FeedbackAnswered(3, 5, "FB-2026-0001", SENDER, "建议", 7, answer="已采纳"),
    AppealLodged(2, 1, "AP-2026-0001", SENDER, "failed_evaluation", "评分有误", 7),
    AppealDecided(
        2, 3, "AP-2026-0001", SENDER, "failed_evaluation", "支持申诉", 7, "upheld", reopened_at_stage="material_review"
    ),
    AuthorizationGranted(4, 4, "AU-2026-0001", SOCIETY, "CCES", "hydro", "决议通过"),
    AuthorizationRefused(4, 4, "AU-2026-0001", SOCIETY, "CCES", "hydro", "材料不全"),
    AuthorizationWithdrawn(4, 5, "AU-2026-0001", SOCIETY, "CCES", "hydro", "不再符合条件"),
    GovernanceStepOverdue(9, "AP-2026-0001", "appeal", "lodged", date(2026, 3, 9), COMMITTEE),
    GovernanceStepEscalated(
        9, "AP-2026-0001", "appeal", "lodged", date(2026, 3, 9), Recipient("秘书处", "s@example.cn"), date(2026, 3, 10)
    ),
]


@pytest.mark.parametrize("event", EVENTS, ids=lambda event: type(event).__name__)
def test_each_governance_event_maps_to_a_template_that_exists_and_renders_with_its_context(event: Event) -> None:
    [notice] = notices(event)
    assert notice.template in template_names()
    for language in LANGUAGES:
        assert render_message(notice.template, language, notice.context).text.strip()


def test_feedback_messages_keep_their_keys_context_and_case() -> None:
    received, answered = notices(EVENTS[0])[0], notices(EVENTS[1])[0]
    assert received.dedupe_key == "feedback:3:v1:feedback.received"
    assert received.context == {"reference": "FB-2026-0001", "sender_name": "李四", "subject": "建议"}
    assert (received.recipient, received.application_id) == (SENDER, 7)
    assert answered.dedupe_key == "feedback:3:v5:feedback.answered"
    assert answered.context["answer"] == "已采纳"


def test_appeal_messages_tell_the_appellant_the_statement_then_the_outcome() -> None:
    lodged, decided = notices(EVENTS[2])[0], notices(EVENTS[3])[0]
    assert (lodged.dedupe_key, lodged.template) == ("appeal:2:v1:appeal.received", "appeal.received")
    assert lodged.context == {
        "reference": "AP-2026-0001",
        "appellant_name": "李四",
        "subject": "failed_evaluation",
        "reason": "评分有误",
    }
    assert decided.dedupe_key == "appeal:2:v3:appeal.decided"
    assert (decided.context["outcome"], decided.context["reopened_at_stage"]) == ("upheld", "material_review")


def test_each_authorization_decision_goes_to_the_society_under_one_template() -> None:
    assert set(AUTHORIZATION_EVENTS) == {
        AuthorizationStage.AUTHORIZED.value,
        AuthorizationStage.REFUSED.value,
        AuthorizationStage.WITHDRAWN.value,
    }
    granted = notices(EVENTS[4])[0]
    assert granted.dedupe_key == "authorization:4:v4:authorization.decided"
    assert granted.context == {
        "society_code": "CCES",
        "field_code": "hydro",
        "decision": "authorized",
        "reason": "决议通过",
        "reference": "AU-2026-0001",
    }
    assert (granted.recipient, granted.application_id) == (SOCIETY, None)
    assert notices(EVENTS[6])[0].context["decision"] == "withdrawn"


def test_an_overdue_step_is_reminded_then_escalated_once_per_deadline() -> None:
    reminder, escalation = notices(EVENTS[7])[0], notices(EVENTS[8])[0]
    assert reminder.dedupe_key == "governance-deadline:9:reminder"
    assert reminder.context == {
        "reference": "AP-2026-0001",
        "case_kind": "appeal",
        "step": "lodged",
        "due_on": "2026-03-09",
    }
    assert reminder.recipient == COMMITTEE
    assert escalation.dedupe_key == "governance-deadline:9:escalation"
    assert escalation.template == "governance.step_escalated"
    assert escalation.context["reminded_on"] == "2026-03-10"
