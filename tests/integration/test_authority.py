"""Who may move a case, through the service layer: for every move of the application table, the person
holding its party gets past the authority check and everyone else is refused with NotPermitted, and random
people firing random actions never move a case they may not move."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capeval.models import Application, Interview, InterviewPanelist, StageHistory
from capeval.services import review
from capeval.services.directory import load_directory
from capeval.services.handlers import handle
from capeval.services.runtime import Runtime
from capeval.states.application import MOVES, PARTY_OF, Action, Stage
from capeval.states.authority import Sweep
from capeval.states.commands import EvidenceRef, TakeAction
from capeval.states.errors import CapevalError, NotPermitted
from capeval.states.levels import Route

from ..factories import REQUIRED_EVIDENCE, application_order, at, person, society_document

SWEEP = Sweep("test sweep")


@dataclass(frozen=True)
class World:
    """One international-route case (every action of the table applies to it) and a person in each role."""

    case_id: int
    people: dict[str, str]
    holds: dict[str, str]


def build_world(runtime: Runtime) -> World:
    document = society_document([1, 2])
    document["examiner"].append({**person(905, "孙考官"), "field": "electrical", "level": "senior"})
    load_directory(runtime, document, origin="test directory")
    other = {"society": {"code": "CMES", "name_zh": "中国机械工程学会"}, "workgroup": [person(906, "孙秘书")]}
    load_directory(runtime, other, origin="test directory")
    order = application_order(
        1,
        route=Route.INTERNATIONAL,
        title="APEC Engineer",
        title_issuer="APEC Engineer Coordinating Committee",
        evidence=(*REQUIRED_EVIDENCE, EvidenceRef("title_proof", "apec.pdf")),
    )
    case_id = handle(runtime, order).case_id
    set_stage(runtime, case_id, Stage.MATERIAL_REVIEW)
    tasks = review.assign(runtime, case_id, "王秘书")
    assigned = {task.examiner_name for task in tasks}
    panelist = next(name for name in ("赵考官", "钱考官", "孙考官") if name not in assigned)
    seat_on_panel(runtime, case_id, panelist)
    people = {
        "applicant": "申请人1",
        "other applicant": "申请人2",
        "workgroup": "王秘书",
        "another society's workgroup": "孙秘书",
        "assigned examiner": sorted(assigned)[0],
        "panelist": panelist,
        "review committee member": "审议委员1",
        "secretariat": "秘书处员",
        "impartiality committee member": "公正委员1",
        "presidium member": "主席团成员1",
        "stranger": "路人甲",
    }
    holds = {
        "applicant": "applicant",
        "workgroup": "workgroup",
        "assigned examiner": "examiners",
        "panelist": "interview_panel",
        "review committee member": "committee",
        "secretariat": "secretariat",
        "impartiality committee member": "impartiality_committee",
    }
    return World(case_id, people, holds)


def set_stage(runtime: Runtime, case_id: int, stage: Stage) -> None:
    with runtime.engine.begin() as connection:
        connection.execute(sa.update(Application).where(Application.id == case_id).values(stage=stage.value))


def seat_on_panel(runtime: Runtime, case_id: int, name: str) -> None:
    examiner = next(row for row in review.examiners(runtime, "CES", "electrical") if row["name"] == name)
    with runtime.unit_of_work() as uow:
        interview = Interview(
            application_id=case_id,
            starts_at=at("2026-03-20"),
            place="会议室",
            scheduled_by="王秘书",
            created_at=at("2026-03-02"),
        )
        uow.review.add(interview)
        uow.flush()
        uow.review.add(InterviewPanelist(interview_id=interview.id or 0, examiner_id=examiner["examiner_id"]))
        uow.commit()


def attempt(runtime: Runtime, case_id: int, action: Action, who: str | Sweep) -> CapevalError | None:
    try:
        handle(runtime, TakeAction(case_id, action, who, "理由"))
    except CapevalError as error:
        return error
    return None


def test_every_move_is_taken_only_by_the_party_it_belongs_to(runtime: Runtime) -> None:
    world = build_world(runtime)
    for move in MOVES:
        if not move.applies_to(Route.INTERNATIONAL):
            continue
        party = str(move.by)
        for role, who in [*world.people.items(), ("sweep", SWEEP)]:
            set_stage(runtime, world.case_id, move.source)
            outcome = attempt(runtime, world.case_id, move.action, who)
            entitled = world.holds.get(role) == party or (role == "sweep" and party == "system")
            if entitled:
                assert not isinstance(outcome, NotPermitted), (move.action, move.source, role, outcome)
            else:
                assert isinstance(outcome, NotPermitted), (move.action, move.source, role, outcome)
                assert stage(runtime, world.case_id) == move.source.value


def stage(runtime: Runtime, case_id: int) -> str:
    with runtime.unit_of_work() as uow:
        case = uow.applications.get(case_id)
        assert case is not None
        return case.stage


def test_a_refusal_names_the_role_needed_and_writes_nothing(runtime: Runtime) -> None:
    world = build_world(runtime)
    set_stage(runtime, world.case_id, Stage.SUBMITTED)
    before = history(runtime, world.case_id)
    refused = attempt(runtime, world.case_id, Action.ACCEPT_FOR_REVIEW, "申请人1")
    assert isinstance(refused, NotPermitted)
    assert str(refused).startswith("申请人1 may not accept_for_review: only the workgroup of the case's society may")
    unknown = attempt(runtime, world.case_id, Action.ACCEPT_FOR_REVIEW, "路人甲")
    assert isinstance(unknown, NotPermitted) and "nobody in the directory is called '路人甲'" in str(unknown)
    assert history(runtime, world.case_id) == before and stage(runtime, world.case_id) == "submitted"


def test_the_history_keeps_the_person_behind_each_line(runtime: Runtime) -> None:
    world = build_world(runtime)
    set_stage(runtime, world.case_id, Stage.SUBMITTED)
    handle(runtime, TakeAction(world.case_id, Action.ACCEPT_FOR_REVIEW, "p900"))
    with runtime.unit_of_work() as uow:
        line = history(runtime, world.case_id)[-1]
        wang = uow.directory.person_by_username("p900")
        assert wang is not None and wang.name == "王秘书"
        assert (line.actor, line.actor_id, line.action) == ("王秘书", wang.id, "accept_for_review")


def history(runtime: Runtime, case_id: int) -> list[StageHistory]:
    with runtime.unit_of_work() as uow:
        query = sa.select(StageHistory).where(StageHistory.application_id == case_id).order_by(StageHistory.id)
        return list(uow.session.execute(query).scalars())


ACTIONS = st.sampled_from(sorted({move.action for move in MOVES}, key=str))
ROLES = st.sampled_from(
    [
        "applicant",
        "other applicant",
        "workgroup",
        "another society's workgroup",
        "assigned examiner",
        "panelist",
        "review committee member",
        "secretariat",
        "impartiality committee member",
        "presidium member",
        "stranger",
        "sweep",
    ]
)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_random_people_never_move_a_case_they_may_not_move(runtime: Runtime) -> None:
    world = build_world(runtime)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(steps=st.lists(st.tuples(ROLES, ACTIONS), min_size=1, max_size=12))
    def random_steps(steps: list[tuple[str, Action]]) -> None:
        set_stage(runtime, world.case_id, Stage.SUBMITTED)
        for role, action in steps:
            before = stage(runtime, world.case_id)
            who: str | Sweep = SWEEP if role == "sweep" else world.people[role]
            outcome = attempt(runtime, world.case_id, action, who)
            party = PARTY_OF[action].value
            entitled = world.holds.get(role) == party or (role == "sweep" and party == "system")
            if stage(runtime, world.case_id) != before:
                assert entitled, (role, action, before)
            if isinstance(outcome, NotPermitted):
                assert not entitled and stage(runtime, world.case_id) == before

    random_steps()
