"""Governance step deadlines follow the rule of case deadlines: one that reaches a year with no published
holiday schedule is stored and shown 暂定 with its basis, and is re-projected (never earlier) when that
year's schedule is imported, with a line in the case's history and a notice to the body responsible for
the step; one inside published years is not provisional."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources

from sqlmodel import select

from capeval.models import Feedback, GovernanceDeadline, GovernanceHistory, OutboxMessage
from capeval.services import calendar_store
from capeval.services.authorizations import apply_for_authorization
from capeval.services.feedback import feedback_status, file_feedback
from capeval.services.governance_steps import REPROJECT_STEP
from capeval.services.history_audit import verify_histories
from capeval.services.runtime import Runtime
from capeval.states.calendar_estimate import ESTIMATE_BASIS
from capeval.states.clock import FixedClock
from capeval.states.governance_commands import ApplyForAuthorization, FileFeedback

from ..factories import at, load_society
from .test_governance import CHS_STAFF, second_society
from .test_provisional_deadlines import EARLIER_2027, SCHEDULE_2027

STEP_REPROJECTED = "governance.step_reprojected"
REVISED_2026 = (
    resources.files("capeval.states").joinpath("calendar_data/2026.toml").read_text(encoding="utf-8")
    + '\n[[holiday]]\nname = "调整"\nfrom = 2026-12-31\nto = 2026-12-31\n'
)
"""The 2026 schedule with 31 December off as well: a re-import that moves a step by a day, 2027 still estimated."""


def filed_in_late_december(runtime: Runtime, clock: FixedClock) -> str:
    load_society(runtime, [1])
    clock.set(at("2026-12-28"))
    outcome = file_feedback(runtime, FileFeedback("某学会", "s@example.cn", "society", "建议", "建议增加考点"))
    assert outcome.due_provisional
    return outcome.reference


def step_notices(runtime: Runtime) -> list[OutboxMessage]:
    with runtime.unit_of_work() as uow:
        found = uow.session.exec(select(OutboxMessage).where(OutboxMessage.template == STEP_REPROJECTED)).all()
        return list(found)


def reprojection_lines(runtime: Runtime) -> list[GovernanceHistory]:
    with runtime.unit_of_work() as uow:
        query = select(GovernanceHistory).where(GovernanceHistory.action == REPROJECT_STEP)
        return list(uow.session.exec(query).all())


def test_a_step_deadline_inside_published_years_is_not_provisional(runtime: Runtime) -> None:
    load_society(runtime, [1])
    outcome = file_feedback(runtime, FileFeedback("某学会", "s@example.cn", "society", "建议", "建议增加考点"))
    assert outcome.due_on is not None and outcome.due_on.year == 2026
    assert (outcome.due_provisional, outcome.due_basis) == (False, "")
    status = feedback_status(runtime, outcome.reference)
    assert (status["step_due_provisional"], status["step_due_basis"]) == (False, "")


def test_a_step_deadline_reaching_an_unpublished_year_is_provisional_and_reprojected_on_import(
    runtime: Runtime, clock: FixedClock
) -> None:
    load_society(runtime, [1])
    clock.set(at("2026-12-28"))
    outcome = file_feedback(runtime, FileFeedback("某学会", "s@example.cn", "society", "建议", "建议增加考点"))
    assert outcome.due_on is not None and outcome.due_on.year == 2027
    assert outcome.due_provisional and ESTIMATE_BASIS in outcome.due_basis and "2027" in outcome.due_basis
    status = feedback_status(runtime, outcome.reference)
    assert status["step_due_provisional"] and status["step_due_on"] == outcome.due_on

    result = calendar_store.store_schedule(runtime, SCHEDULE_2027, origin="2027.toml", loaded_by="管理员")
    assert result.reprojected >= 1
    with runtime.unit_of_work() as uow:
        [row] = uow.session.exec(select(GovernanceDeadline)).all()
        assert (row.provisional, row.basis) == (False, "")
        assert row.due_on >= outcome.due_on


def test_an_imported_year_records_the_old_and_new_step_date_and_tells_the_responsible_body(
    runtime: Runtime, clock: FixedClock
) -> None:
    reference = filed_in_late_december(runtime, clock)
    with runtime.unit_of_work() as uow:
        [before] = uow.session.exec(select(GovernanceDeadline)).all()
        version = uow.session.exec(select(Feedback)).one().version
    calendar_store.store_schedule(runtime, SCHEDULE_2027, origin="2027.toml", loaded_by="管理员")

    with runtime.unit_of_work() as uow:
        [after] = uow.session.exec(select(GovernanceDeadline)).all()
        feedback = uow.session.exec(select(Feedback)).one()
    assert after.due_on > before.due_on
    [line] = reprojection_lines(runtime)
    assert (line.from_stage, line.to_stage, line.version) == (feedback.stage, feedback.stage, version)
    assert feedback.version == version
    assert before.due_on.isoformat() in line.reason and after.due_on.isoformat() in line.reason
    assert "calendar-2027-v" in line.reason
    [told] = step_notices(runtime)
    assert told.recipient_email == runtime.governance.supervision_committee_email
    assert (told.context["reference"], told.context["old_due_on"], told.context["new_due_on"]) == (
        reference,
        before.due_on.isoformat(),
        after.due_on.isoformat(),
    )
    assert (told.context["provisional"], told.context["basis"]) == (False, "")
    assert feedback_status(runtime, reference)["history"][-1]["action"] == REPROJECT_STEP
    assert verify_histories(runtime).clean


def test_a_step_date_an_import_would_make_earlier_stays_and_is_still_recorded_and_told(
    runtime: Runtime, clock: FixedClock
) -> None:
    filed_in_late_december(runtime, clock)
    with runtime.unit_of_work() as uow:
        [before] = uow.session.exec(select(GovernanceDeadline)).all()
    result = calendar_store.store_schedule(runtime, EARLIER_2027, origin="2027.toml", loaded_by="管理员")
    assert (result.reprojected, result.moved) == (1, 0)
    with runtime.unit_of_work() as uow:
        [after] = uow.session.exec(select(GovernanceDeadline)).all()
    assert (after.due_on, after.provisional) == (before.due_on, False)
    [line] = reprojection_lines(runtime)
    assert f"{before.due_on.isoformat()} -> {before.due_on.isoformat()}" in line.reason
    [told] = step_notices(runtime)
    assert told.context["old_due_on"] == told.context["new_due_on"] == before.due_on.isoformat()


def test_importing_the_same_schedule_again_records_and_tells_nothing_more(runtime: Runtime, clock: FixedClock) -> None:
    filed_in_late_december(runtime, clock)
    calendar_store.store_schedule(runtime, SCHEDULE_2027, origin="2027.toml", loaded_by="管理员")
    again = calendar_store.store_schedule(runtime, SCHEDULE_2027, origin="2027.toml", loaded_by="管理员")
    assert again.unchanged
    assert len(reprojection_lines(runtime)) == 1 and len(step_notices(runtime)) == 1


def test_a_step_still_reaching_an_unpublished_year_keeps_its_basis_in_the_line_and_the_notice(
    runtime: Runtime, clock: FixedClock
) -> None:
    second_society(runtime)
    clock.set(at("2026-12-28"))
    outcome = apply_for_authorization(runtime, ApplyForAuthorization("CHS", "hydro", "规范已发布", CHS_STAFF))
    assert outcome.due_on is not None and outcome.due_on.year == 2027 and outcome.due_provisional
    result = calendar_store.store_schedule(runtime, REVISED_2026, origin="2026.toml", loaded_by="管理员")
    assert (result.reprojected, result.still_provisional) == (1, 1)
    [line] = reprojection_lines(runtime)
    assert ESTIMATE_BASIS in line.reason and "calendar-2026-v2" in line.reason
    [told] = step_notices(runtime)
    assert told.recipient_email == runtime.governance.secretariat_email
    assert told.context["provisional"] and ESTIMATE_BASIS in str(told.context["basis"])
    assert date.fromisoformat(str(told.context["new_due_on"])) == outcome.due_on + timedelta(days=1)
