"""Eligibility held at every decision, and a disqualification that closes everything, on real databases.

Each test is a finding of the "Authority" issue: a person disqualified on one case still registered on
another (Q&A Q14); a suspended holder's application went ahead and parallel applications of two levels
were both registered (Q&A Q34-Q35); a member still pending was registered (Q&A Q6, Q36).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import sqlalchemy as sa

from capeval.models import Certificate, CertificateHistory, LifetimeBan, OutboxMessage, StageHistory
from capeval.notifications.compose import stationery, write
from capeval.notifications.rendering import RenderedMessage
from capeval.services import certificates as certificate_service
from capeval.services import handlers
from capeval.services.handlers import handle
from capeval.services.references import case_references
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.certificates import Change
from capeval.states.clock import FixedClock
from capeval.states.commands import ChangeCertificate
from capeval.states.errors import GuardRefused, IllegalTransition
from capeval.states.levels import Level, Route
from capeval.states.policy import PipelinePolicy
from capeval.states.stored_reasons import reason_text

from ..factories import FIELD, act, application_order, at, load_society, submitted_case
from .test_handlers import rows, stage_of

OTHER_FIELD = "civil"
STAFF = "王秘书"
TO_APPROVAL = (Action.ACCEPT_FOR_REVIEW, Action.PASS_MATERIAL_REVIEW, Action.APPROVE)


def with_pipeline(runtime: Runtime, **rules: Any) -> None:
    runtime.policies = dataclasses.replace(runtime.policies, pipeline=PipelinePolicy(**rules))


def approved_case(runtime: Runtime, serial: int, **options: Any) -> int:
    case_id = submitted_case(runtime, serial, **options)
    for action in TO_APPROVAL:
        act(runtime, case_id, action)
    return case_id


def registered(runtime: Runtime, serial: int, **options: Any) -> str:
    outcome = act(runtime, approved_case(runtime, serial, **options), Action.REGISTER)
    return str(outcome.registration_number)


def change(runtime: Runtime, number: str, what: Change, reason: str, fraud: bool = False) -> Any:
    return certificate_service.change_certificate(runtime, ChangeCertificate(number, what, STAFF, reason, fraud))


def history(runtime: Runtime, case_id: int) -> list[StageHistory]:
    return rows(runtime, StageHistory, application_id=case_id)


def notices(runtime: Runtime, case_id: int, template: str) -> list[OutboxMessage]:
    return [n for n in rows(runtime, OutboxMessage, application_id=case_id) if n.template == template]


def put_in_stage(runtime: Runtime, case_id: int, stage: str) -> None:
    """Move a case the way a database from before the parallel-application rule may hold it."""
    with runtime.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE application SET stage = :stage, version = version + 1 WHERE id = :id"),
            {"stage": stage, "id": case_id},
        )


# --- Q&A Q14: disqualifying a person closes every open case and revokes every certificate ------------
def test_disqualifying_a_parallel_case_closes_the_approved_one_so_it_is_never_registered(runtime: Runtime) -> None:
    load_society(runtime, members=[1], fields=(FIELD, OTHER_FIELD))
    approved = approved_case(runtime, 1)
    forged = submitted_case(runtime, 1, field=OTHER_FIELD)
    draft = handle(runtime, application_order(1, field=OTHER_FIELD, level=Level.SENIOR)).case_id
    act(runtime, forged, Action.ACCEPT_FOR_REVIEW)

    outcome = act(runtime, forged, Action.DISQUALIFY, "学历证明系伪造")

    assert outcome.stage == "disqualified"
    assert {case: stage_of(runtime, case) for case in (approved, forged, draft)} == dict.fromkeys(
        (approved, forged, draft), "disqualified"
    )
    (closing,) = [h for h in history(runtime, approved) if h.action == "disqualify"]
    assert (closing.from_stage, closing.to_stage, closing.actor) == ("approved", "disqualified", STAFF)
    assert closing.reason == f"case {forged} disqualified: 学历证明系伪造"
    assert [h.from_stage for h in history(runtime, draft) if h.action == "disqualify"] == ["draft"]
    (told,) = notices(runtime, approved, "application.disqualify")
    assert told.context["reason"] == closing.reason
    (cause,) = notices(runtime, forged, "application.disqualify")
    assert cause.context["closed_cases"] == [approved, draft]
    refs = case_references(runtime, [approved, draft, forged])
    assert f"closed as well: {refs[approved]}, {refs[draft]}" in as_sent(runtime, cause, "en").text
    assert f"case {forged} disqualified" in as_sent(runtime, told, "en").text
    assert as_sent(runtime, told, "en").subject == f"Disqualified: case {refs[approved]}"
    with pytest.raises(IllegalTransition, match="allowed now: none"):
        act(runtime, approved, Action.REGISTER)
    assert rows(runtime, Certificate) == []


def test_disqualification_revokes_every_certificate_the_person_holds(runtime: Runtime) -> None:
    load_society(runtime, members=[1], fields=(FIELD, OTHER_FIELD))
    held = registered(runtime, 1, field=OTHER_FIELD)
    forged = submitted_case(runtime, 1)

    act(runtime, forged, Action.DISQUALIFY, "项目业绩证明系伪造")

    (certificate,) = rows(runtime, Certificate, registration_number=held)
    assert certificate.status == "revoked"
    assert len(rows(runtime, LifetimeBan)) == 1
    (cause,) = notices(runtime, forged, "application.disqualify")
    assert cause.context["revoked_certificates"] == [held] and cause.context["closed_cases"] == []


def test_a_failure_while_closing_a_parallel_case_leaves_nothing_written(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_society(runtime, members=[1], fields=(FIELD, OTHER_FIELD))
    approved = approved_case(runtime, 1)
    forged = submitted_case(runtime, 1, field=OTHER_FIELD)
    real_publish = handlers.publish

    def failing_for_the_parallel_case(uow: Any, events: list[Any], now: Any) -> None:
        if any(event.case_id == approved for event in events):
            raise RuntimeError("mail queue unavailable")
        real_publish(uow, events, now)

    monkeypatch.setattr(handlers, "publish", failing_for_the_parallel_case)
    with pytest.raises(RuntimeError):
        act(runtime, forged, Action.DISQUALIFY, "学历证明系伪造")

    assert (stage_of(runtime, approved), stage_of(runtime, forged)) == ("approved", "submitted")
    assert rows(runtime, LifetimeBan) == []
    assert [h.action for h in history(runtime, approved)][-1] == "approve"


def test_a_ban_recorded_without_closing_the_cases_still_refuses_approval_and_registration(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    approved = approved_case(runtime, 1)
    reviewed = handle(runtime, application_order(1, level=Level.SENIOR)).case_id
    put_in_stage(runtime, reviewed, "committee_review")
    with runtime.unit_of_work() as uow:
        case = uow.applications.get(approved)
        assert case is not None
        person = uow.directory.person(case.person_id)
        assert person is not None and person.id is not None
        uow.registry.add(
            LifetimeBan(
                id_number_digest=person.id_number_digest,
                person_id=person.id,
                reason="在另一学会提供虚假材料",
                imposed_by="another society",
                imposed_at=at("2026-01-05"),
            )
        )
        uow.commit()

    with pytest.raises(GuardRefused, match="banned for life"):
        act(runtime, approved, Action.REGISTER)
    with pytest.raises(GuardRefused, match="banned for life"):
        act(runtime, reviewed, Action.APPROVE)
    assert rows(runtime, Certificate) == [] and stage_of(runtime, approved) == "approved"


def test_revoking_a_certificate_for_fraud_disqualifies_the_holder_everywhere(runtime: Runtime) -> None:
    load_society(runtime, members=[1], fields=(FIELD, OTHER_FIELD))
    forged = registered(runtime, 1, level=Level.APPRENTICE)
    other = registered(runtime, 1, field=OTHER_FIELD)
    upgrade = submitted_case(runtime, 1, level=Level.PROFESSIONAL, route=Route.UPGRADE)
    draft = handle(runtime, application_order(1, field=OTHER_FIELD, level=Level.SENIOR, route=Route.UPGRADE)).case_id

    outcome = change(runtime, forged, Change.REVOKE, "提供虚假学历证明（Q&A Q14）", fraud=True)

    cause = f"certificate {forged} revoked for fraud: 提供虚假学历证明（Q&A Q14）"
    in_chinese = f"证书 {forged} 因欺诈被撤销：提供虚假学历证明（Q&A Q14）"
    assert outcome.banned and outcome.also_revoked == (other,) and outcome.closed_cases == (upgrade, draft)
    assert [c.status for c in rows(runtime, Certificate)] == ["revoked", "revoked"]
    (other_row,) = rows(runtime, Certificate, registration_number=other)
    stored = [h.reason for h in rows(runtime, CertificateHistory, certificate_id=other_row.id)][-1]
    assert reason_text(stored, "en") == cause and reason_text(stored, "zh-CN") == in_chinese
    for case_id in (upgrade, draft):
        assert stage_of(runtime, case_id) == "disqualified"
        assert reason_text(history(runtime, case_id)[-1].reason, "en") == cause
        (told,) = notices(runtime, case_id, "application.disqualify")
        assert in_chinese in as_sent(runtime, told, "zh-CN").text and cause in as_sent(runtime, told, "en").text


# --- Q&A Q34-Q35: level order and parallel applications -----------------------------------------------
def test_a_suspended_apprentice_may_not_apply_for_senior_until_restored(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    number = registered(runtime, 1, level=Level.APPRENTICE)
    change(runtime, number, Change.SUSPEND, "收到投诉，待核实")
    senior = handle(runtime, application_order(1, level=Level.SENIOR)).case_id

    with pytest.raises(GuardRefused, match=f"apprentice certificate {number} .* is suspended"):
        act(runtime, senior, Action.SUBMIT)

    change(runtime, number, Change.RESTORE, "经核实信息属实")
    with pytest.raises(GuardRefused, match="use the upgrade route"):
        act(runtime, senior, Action.SUBMIT)
    assert stage_of(runtime, senior) == "draft"


def test_a_certificate_suspended_after_submission_stops_acceptance_approval_and_registration(
    runtime: Runtime,
) -> None:
    load_society(runtime, members=[1])
    number = registered(runtime, 1, level=Level.APPRENTICE)
    upgrade = submitted_case(runtime, 1, level=Level.PROFESSIONAL, route=Route.UPGRADE)
    change(runtime, number, Change.SUSPEND, "收到投诉，待核实")

    with pytest.raises(GuardRefused, match="is suspended"):
        act(runtime, upgrade, Action.ACCEPT_FOR_REVIEW)
    put_in_stage(runtime, upgrade, "committee_review")
    with pytest.raises(GuardRefused, match="is suspended"):
        act(runtime, upgrade, Action.APPROVE)
    put_in_stage(runtime, upgrade, "approved")
    with pytest.raises(GuardRefused, match="is suspended"):
        act(runtime, upgrade, Action.REGISTER)

    change(runtime, number, Change.RESTORE, "经核实信息属实")
    assert act(runtime, upgrade, Action.REGISTER).registration_number


def test_an_expired_certificate_counts_as_none_unless_the_policy_counts_it(runtime: Runtime, clock: FixedClock) -> None:
    load_society(runtime, members=[1])
    number = registered(runtime, 1, level=Level.APPRENTICE)
    with runtime.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE certificate SET status = 'expired' WHERE registration_number = :n"), {"n": number}
        )

    with_pipeline(runtime, expired_certificate_counts_as_held=True)
    senior = handle(runtime, application_order(1, level=Level.SENIOR)).case_id
    with pytest.raises(GuardRefused, match="a certificate at the apprentice level"):
        act(runtime, senior, Action.SUBMIT)

    with_pipeline(runtime)
    assert act(runtime, senior, Action.SUBMIT).stage == "submitted"


def test_a_second_application_in_the_same_field_is_refused_while_the_first_is_under_way(runtime: Runtime) -> None:
    load_society(runtime, members=[1], fields=(FIELD, OTHER_FIELD))
    apprentice = submitted_case(runtime, 1, level=Level.APPRENTICE)
    senior = handle(runtime, application_order(1, level=Level.SENIOR)).case_id

    with pytest.raises(GuardRefused, match=f"under way in the field '{FIELD}' \\(case {apprentice}\\)"):
        act(runtime, senior, Action.SUBMIT)
    assert submitted_case(runtime, 1, field=OTHER_FIELD)

    act(runtime, apprentice, Action.WITHDRAW)
    assert act(runtime, senior, Action.SUBMIT).stage == "submitted"


def test_one_application_per_person_when_the_policy_says_so(runtime: Runtime) -> None:
    with_pipeline(runtime, parallel_applications="one_per_person")
    load_society(runtime, members=[1], fields=(FIELD, OTHER_FIELD))
    first = submitted_case(runtime, 1)
    elsewhere = handle(runtime, application_order(1, field=OTHER_FIELD)).case_id
    with pytest.raises(GuardRefused, match=f"application under way \\(case {first}\\); one at a time"):
        act(runtime, elsewhere, Action.SUBMIT)


def test_parallel_apprentice_and_senior_applications_are_not_both_registered(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    apprentice = submitted_case(runtime, 1, level=Level.APPRENTICE)
    senior = handle(runtime, application_order(1, level=Level.SENIOR)).case_id
    put_in_stage(runtime, senior, "submitted")

    for case_id, other in ((apprentice, senior), (senior, apprentice)):
        with pytest.raises(GuardRefused, match=f"case {other}"):
            act(runtime, case_id, Action.ACCEPT_FOR_REVIEW)

    put_in_stage(runtime, apprentice, "approved")
    put_in_stage(runtime, senior, "approved")
    act(runtime, apprentice, Action.REGISTER)
    with pytest.raises(GuardRefused, match="at the apprentice level in this field; use the upgrade route"):
        act(runtime, senior, Action.REGISTER)
    assert [c.level for c in rows(runtime, Certificate)] == ["apprentice"]


# --- Q&A Q6, Q36: a pending membership may run alongside, but must be active by registration -----------
def test_a_member_still_pending_is_not_registered_until_the_membership_is_active(runtime: Runtime) -> None:
    with_pipeline(runtime, accept_concurrent_membership=True)
    load_society(runtime, members=[], pending=[1])
    case_id = approved_case(runtime, 1)

    with pytest.raises(GuardRefused, match="membership of society 'CES' is still pending"):
        act(runtime, case_id, Action.REGISTER)
    assert stage_of(runtime, case_id) == "approved" and rows(runtime, Certificate) == []

    load_society(runtime, members=[1])
    assert act(runtime, case_id, Action.REGISTER).registration_number


def as_sent(runtime: Runtime, row: OutboxMessage, language: str) -> RenderedMessage:
    """The message of an outbox row as the dispatcher writes it (the case references read from the database)."""
    with runtime.unit_of_work() as uow:
        paper = stationery(uow, [row], runtime.mail_identity)
    return write(row.template, language, row.context, paper, row.application_id)[0]
