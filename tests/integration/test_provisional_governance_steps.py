"""Governance step deadlines follow the rule of case deadlines: one that reaches a year with no published
holiday schedule is stored and shown 暂定 with its basis, and is re-projected (never earlier) when that
year's schedule is imported; one inside published years is not provisional."""

from __future__ import annotations

from sqlmodel import select

from capeval.models import GovernanceDeadline
from capeval.services import calendar_store
from capeval.services.feedback import feedback_status, file_feedback
from capeval.services.runtime import Runtime
from capeval.states.calendar_estimate import ESTIMATE_BASIS
from capeval.states.clock import FixedClock
from capeval.states.governance_commands import FileFeedback

from ..factories import at, load_society
from .test_provisional_deadlines import SCHEDULE_2027


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
