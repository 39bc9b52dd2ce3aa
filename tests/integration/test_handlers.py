"""Command handlers against real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from capeval.models import Application, Certificate, Deadline, OutboxMessage, StageHistory
from capeval.services import handlers, review
from capeval.services.handlers import handle
from capeval.services.runtime import Runtime
from capeval.services.sweeps import lapse_overdue_cases
from capeval.states.application import Action, Stage
from capeval.states.clock import FixedClock
from capeval.states.commands import AddSupplement, EvidenceRef, ReviseMaterial, TakeAction
from capeval.states.errors import DomainError, GuardRefused, IllegalTransition, NotFoundError
from capeval.states.levels import Level, Route

from ..factories import act, applicant_of, application_order, at, load_society, statement, submitted_case


def rows(runtime: Runtime, table: type, **where: object) -> list:
    with runtime.unit_of_work() as uow:
        query = sa.select(table).filter_by(**where)
        return list(uow.session.execute(query).scalars())


def stage_of(runtime: Runtime, case_id: int) -> str:
    with runtime.unit_of_work() as uow:
        case = uow.applications.get(case_id)
        assert case is not None
        return case.stage


def test_submission_writes_stage_history_and_notice_together(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    case_id = submitted_case(runtime, 1)

    history = rows(runtime, StageHistory, application_id=case_id)
    assert [(h.from_stage, h.to_stage, h.action, h.version) for h in history] == [
        (None, "draft", "create", 1),
        ("draft", "submitted", "submit", 2),
    ]
    notices = rows(runtime, OutboxMessage, application_id=case_id)
    assert [n.template for n in notices] == ["application.submit"]
    assert notices[0].dedupe_key.startswith(f"application:{case_id}:v2:application.submit:")
    assert stage_of(runtime, case_id) == "submitted"


def test_refused_submission_changes_nothing(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    case_id = handle(runtime, application_order(1, chars=1999)).case_id

    with pytest.raises(GuardRefused, match="add at least 1"):
        act(runtime, case_id, Action.SUBMIT)

    assert stage_of(runtime, case_id) == "draft"
    assert len(rows(runtime, StageHistory, application_id=case_id)) == 1
    assert rows(runtime, OutboxMessage, application_id=case_id) == []


def test_non_member_and_unauthorized_field_are_refused_with_reasons(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    outsider = handle(runtime, application_order(2)).case_id
    with pytest.raises(GuardRefused, match="not a registered member"):
        act(runtime, outsider, Action.SUBMIT)
    wrong_field = handle(runtime, application_order(1, field="civil")).case_id
    with pytest.raises(GuardRefused, match="not authorized to evaluate the field 'civil'"):
        act(runtime, wrong_field, Action.SUBMIT)


def test_return_sets_a_deadline_ten_working_days_later_across_spring_festival(
    runtime: Runtime, clock: FixedClock
) -> None:
    load_society(runtime, members=[1])
    case_id = submitted_case(runtime, 1)
    clock.set(at("2026-02-06"))

    outcome = act(runtime, case_id, Action.RETURN_FOR_REVISION, "身份证反面复印件不清晰")

    assert outcome.due_on == date(2026, 2, 27)
    (deadline,) = rows(runtime, Deadline, application_id=case_id)
    assert (deadline.kind, deadline.due_on, deadline.status) == ("resubmission", date(2026, 2, 27), "open")
    (notice,) = [n for n in rows(runtime, OutboxMessage, application_id=case_id) if n.template.endswith("revision")]
    assert notice.context["due_on"] == "2026-02-27" and notice.context["reason"] == "身份证反面复印件不清晰"


def test_resubmission_on_the_due_date_is_accepted_and_closes_the_deadline(runtime: Runtime, clock: FixedClock) -> None:
    load_society(runtime, members=[1])
    case_id = submitted_case(runtime, 1)
    clock.set(at("2026-02-06"))
    act(runtime, case_id, Action.RETURN_FOR_REVISION, "补充学历证明")
    clock.set(at("2026-02-27T23:30"))
    handle(
        runtime,
        ReviseMaterial(case_id, applicant_of(runtime, case_id), evidence=(EvidenceRef("education", "degree.pdf"),)),
    )

    act(runtime, case_id, Action.RESUBMIT)

    assert stage_of(runtime, case_id) == "submitted"
    assert [d.status for d in rows(runtime, Deadline, application_id=case_id)] == ["met"]


def test_unanswered_return_lapses_after_ten_working_days_and_only_once(runtime: Runtime, clock: FixedClock) -> None:
    load_society(runtime, members=[1, 2])
    lapsing = submitted_case(runtime, 1)
    answered = submitted_case(runtime, 2)
    clock.set(at("2026-02-06"))
    act(runtime, lapsing, Action.RETURN_FOR_REVISION, "自述未区分个人与团队贡献")
    act(runtime, answered, Action.RETURN_FOR_REVISION, "缺少学历证明")
    clock.set(at("2026-02-26"))
    act(runtime, answered, Action.RESUBMIT)

    clock.set(at("2026-02-27T22:00"))
    assert lapse_overdue_cases(runtime).lapsed == []
    clock.set(at("2026-02-28"))
    first = lapse_overdue_cases(runtime, batch_size=1)
    second = lapse_overdue_cases(runtime)

    assert first.lapsed == [lapsing] and second.lapsed == [] and second.examined == 0
    assert stage_of(runtime, lapsing) == "lapsed" and stage_of(runtime, answered) == "submitted"
    lapse_notices = [
        n for n in rows(runtime, OutboxMessage, application_id=lapsing) if n.template == "application.lapse"
    ]
    assert len(lapse_notices) == 1
    assert [d.status for d in rows(runtime, Deadline, application_id=lapsing)] == ["expired"]


def test_material_is_frozen_once_review_starts_except_requested_supplements(
    runtime: Runtime, clock: FixedClock
) -> None:
    load_society(runtime, members=[1])
    case_id = submitted_case(runtime, 1)
    act(runtime, case_id, Action.ACCEPT_FOR_REVIEW)
    with pytest.raises(DomainError, match="frozen"):
        handle(runtime, ReviseMaterial(case_id, applicant_of(runtime, case_id), self_statement=statement(3000)))
    with pytest.raises(DomainError, match="only when requested"):
        handle(runtime, AddSupplement(case_id, applicant_of(runtime, case_id), (EvidenceRef("supplement", "x.pdf"),)))

    act(runtime, case_id, Action.REQUEST_SUPPLEMENT, "请补充项目验收证明")
    with pytest.raises(GuardRefused, match="no supplementary material"):
        act(runtime, case_id, Action.PROVIDE_SUPPLEMENT)
    review.provide_supplement(
        runtime, case_id, applicant_of(runtime, case_id), (EvidenceRef("supplement", "acceptance.pdf"),)
    )

    assert stage_of(runtime, case_id) == "material_review"
    act(runtime, case_id, Action.REQUEST_SUPPLEMENT, "请补充奖励证明")
    with pytest.raises(GuardRefused, match="no supplementary material"):
        act(runtime, case_id, Action.PROVIDE_SUPPLEMENT)


def test_registration_issues_a_five_year_certificate(runtime: Runtime, clock: FixedClock) -> None:
    load_society(runtime, members=[1])
    case_id = submitted_case(runtime, 1)
    for action in (Action.ACCEPT_FOR_REVIEW, Action.PASS_MATERIAL_REVIEW, Action.APPROVE):
        act(runtime, case_id, action)
    clock.set(at("2026-04-10"))

    outcome = act(runtime, case_id, Action.REGISTER)

    (certificate,) = rows(runtime, Certificate, application_id=case_id)
    assert outcome.registration_number == certificate.registration_number == "CE-CES-ELEC-2026-00001"
    assert (certificate.issued_on, certificate.expires_on, certificate.status) == (
        date(2026, 4, 10),
        date(2031, 4, 9),
        "active",
    )


def test_upgrade_needs_the_next_level_and_an_active_certificate(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    first = submitted_case(runtime, 1, level=Level.APPRENTICE)
    for action in (Action.ACCEPT_FOR_REVIEW, Action.PASS_MATERIAL_REVIEW, Action.APPROVE, Action.REGISTER):
        act(runtime, first, action)

    skipping = handle(runtime, application_order(1, level=Level.SENIOR, route=Route.UPGRADE)).case_id
    with pytest.raises(GuardRefused, match="must ask for professional"):
        act(runtime, skipping, Action.SUBMIT)
    again = handle(runtime, application_order(1, level=Level.PROFESSIONAL)).case_id
    with pytest.raises(GuardRefused, match="use the upgrade route"):
        act(runtime, again, Action.SUBMIT)
    act(runtime, again, Action.WITHDRAW)
    upgrade = submitted_case(runtime, 1, level=Level.PROFESSIONAL, route=Route.UPGRADE)
    assert stage_of(runtime, upgrade) == "submitted"


def test_international_route_needs_secretariat_confirmation(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    evidence = application_order(1).evidence + (EvidenceRef("title_proof", "apec.pdf"),)
    case_id = submitted_case(runtime, 1, route=Route.INTERNATIONAL, evidence=evidence, title="APEC Engineer")
    act(runtime, case_id, Action.ACCEPT_FOR_REVIEW)
    act(runtime, case_id, Action.PASS_MATERIAL_REVIEW)

    assert act(runtime, case_id, Action.APPROVE).stage == "secretariat_confirmation"
    assert act(runtime, case_id, Action.CONFIRM_TITLE).stage == "approved"


def test_fraud_disqualifies_revokes_and_bans_for_life(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    case_id = submitted_case(runtime, 1)
    for action in (Action.ACCEPT_FOR_REVIEW, Action.PASS_MATERIAL_REVIEW, Action.APPROVE, Action.REGISTER):
        act(runtime, case_id, action)

    act(runtime, case_id, Action.DISQUALIFY, "学历证明系伪造")

    assert [c.status for c in rows(runtime, Certificate, application_id=case_id)] == ["revoked"]
    later = handle(runtime, application_order(1)).case_id
    with pytest.raises(GuardRefused, match="banned for life"):
        act(runtime, later, Action.SUBMIT)
    with pytest.raises(IllegalTransition, match="allowed now: none"):
        act(runtime, case_id, Action.DISQUALIFY, "again")


def test_a_failure_while_writing_leaves_nothing_half_written(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    load_society(runtime, members=[1])
    case_id = handle(runtime, application_order(1)).case_id

    def broken_notice(*_: object) -> None:
        raise RuntimeError("mail queue unavailable")

    monkeypatch.setattr(handlers, "publish", broken_notice)
    with pytest.raises(RuntimeError):
        act(runtime, case_id, Action.SUBMIT)

    with runtime.unit_of_work() as uow:
        case = uow.applications.get(case_id)
        assert case is not None and (case.stage, case.version) == ("draft", 1)
    assert len(rows(runtime, StageHistory, application_id=case_id)) == 1


def test_stage_history_is_append_only(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    case_id = submitted_case(runtime, 1)
    for statement_text in ("UPDATE stage_history SET actor = 'someone else'", "DELETE FROM stage_history"):
        with pytest.raises(DomainError, match="append-only"), runtime.engine.begin() as connection:
            connection.execute(sa.text(statement_text))
    assert len(rows(runtime, StageHistory, application_id=case_id)) == 2


def test_unknown_case_and_unknown_society_say_what_is_missing(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    with pytest.raises(NotFoundError, match="no case with id 999"):
        act(runtime, 999, Action.SUBMIT, actor="p1")
    with pytest.raises(NotFoundError, match="no society with code 'XYZ'.*CES"):
        handle(runtime, application_order(1, society="XYZ"))


def test_stale_expected_version_is_refused(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    case_id = submitted_case(runtime, 1)
    from capeval.states.errors import ConcurrencyConflict

    with pytest.raises(ConcurrencyConflict, match="version 2, not 1"):
        handle(runtime, TakeAction(case_id, Action.ACCEPT_FOR_REVIEW, "王秘书", expected_version=1))
    assert stage_of(runtime, case_id) == Stage.SUBMITTED.value
    assert rows(runtime, Application, id=case_id)[0].version == 2
