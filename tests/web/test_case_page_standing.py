"""The parties a person holds on a case at the edges of what makes each (a seat's term, a review task's
state, an examiner's field, an interview's panel), and the case page showing exactly those parties."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from capeval.models import CommitteeSeat, Examiner, Person, ReviewTask
from capeval.services.authority import ASSIGNED_TASK_STATES, case_parties, person_acting
from capeval.services.case_page import case_view
from capeval.services.runtime import Runtime
from capeval.states.errors import NotPermitted
from capeval.states.review import TaskState

from .support import AT_COMMITTEE, COMMITTEE_MEMBER, EXAMINERS, INTERVIEWED, THIRD_EXAMINER, populate


@pytest.fixture
def cases(runtime: Runtime) -> dict[int, int]:
    return populate(runtime)


def parties(runtime: Runtime, username: str, case_id: int) -> set[str]:
    """The parties `case_parties` finds."""
    with runtime.unit_of_work() as uow:
        context = uow.applications.context(case_id)
        assert context is not None
        person = person_acting(uow, username)
        return {party.value for party in case_parties(uow, person, context, runtime.today())}


def shown(runtime: Runtime, username: str, case_id: int) -> set[str]:
    """The parties the case page holds the person to (none when it refuses them)."""
    with runtime.engine.connect() as connection:
        person_id = connection.execute(sa.select(Person.id).where(Person.username == username)).scalar_one()
    try:
        return case_view(runtime, person_id, case_id).held
    except NotPermitted:
        return set()


def both(runtime: Runtime, username: str, case_id: int) -> set[str]:
    found = parties(runtime, username, case_id)
    assert shown(runtime, username, case_id) == found
    return found


def update(runtime: Runtime, statement: sa.Update) -> None:
    with runtime.engine.begin() as connection:
        connection.execute(statement)


def test_a_committee_seat_counts_on_every_day_of_its_term_and_no_other(runtime: Runtime, cases: dict[int, int]) -> None:
    case_id, today = cases[AT_COMMITTEE], runtime.today()
    with runtime.engine.connect() as connection:
        person_id = connection.execute(sa.select(Person.id).where(Person.username == COMMITTEE_MEMBER)).scalar_one()
    seat = sa.update(CommitteeSeat).where(CommitteeSeat.person_id == person_id)  # type: ignore[arg-type]
    one_day = timedelta(days=1)
    for starts, ends, held in [
        (today, today, True),
        (today - one_day, None, True),
        (today + one_day, None, False),
        (today - 2 * one_day, today - one_day, False),
    ]:
        update(runtime, seat.values(starts_on=starts, ends_on=ends))
        assert both(runtime, COMMITTEE_MEMBER, case_id) == ({"committee"} if held else set()), (starts, ends)


def test_an_examiner_holds_the_case_while_their_task_is_open_or_submitted(
    runtime: Runtime, cases: dict[int, int]
) -> None:
    case_id = cases[AT_COMMITTEE]
    tasks = sa.update(ReviewTask).where(ReviewTask.application_id == case_id)  # type: ignore[arg-type]
    for state in TaskState:
        update(runtime, tasks.values(state=state.value))
        expected = {"examiners"} if state in ASSIGNED_TASK_STATES else set()
        assert both(runtime, EXAMINERS[0], case_id) == expected, state


def test_an_examiner_of_another_field_holds_nothing_through_a_task_of_theirs(
    runtime: Runtime, cases: dict[int, int]
) -> None:
    case_id = cases[AT_COMMITTEE]
    assert both(runtime, EXAMINERS[0], case_id) == {"examiners"}
    with runtime.engine.begin() as connection:
        field = connection.execute(sa.text("SELECT code FROM engineering_field WHERE code <> 'electrical' LIMIT 1"))
        other = field.scalar_one()
        person_id = connection.execute(sa.select(Person.id).where(Person.username == EXAMINERS[0])).scalar_one()
        connection.execute(
            sa.update(Examiner).where(Examiner.person_id == person_id).values(field_code=other)  # type: ignore[arg-type]
        )
    assert both(runtime, EXAMINERS[0], case_id) == set()


def test_a_panelist_holds_only_the_case_of_their_interview(runtime: Runtime, cases: dict[int, int]) -> None:
    assert both(runtime, THIRD_EXAMINER, cases[INTERVIEWED]) == {"interview_panel"}
    for serial, case_id in cases.items():
        if serial != INTERVIEWED:
            assert both(runtime, THIRD_EXAMINER, case_id) == set()
