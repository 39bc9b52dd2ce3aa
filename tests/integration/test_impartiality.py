"""Impartiality against real databases: resolutions counted against the roster on the meeting day, who records
them and who takes each governance step, exclusion by person id, and the migration that keys them so."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command

from capeval.models.migrate import alembic_config
from capeval.services.appeals import act_on_appeal, lodge_appeal, show_appeal
from capeval.services.authorizations import act_on_authorization, apply_for_authorization
from capeval.services.directory import load_directory
from capeval.services.feedback import act_on_feedback, file_feedback
from capeval.services.resolutions import record_resolution, show_resolution
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.clock import FixedClock
from capeval.states.errors import DomainError, GuardRefused, InputError, NotPermitted
from capeval.states.governance import Body
from capeval.states.governance_commands import (
    ActOnAppeal,
    ActOnAuthorization,
    ActOnFeedback,
    ApplyForAuthorization,
    FileFeedback,
    LodgeAppeal,
    RecordResolution,
)
from capeval.states.resolutions import Vote

from ..factories import act, at, id_number, load_society, person, submitted_case

IC = Body.IMPARTIALITY_COMMITTEE
SECRETARIAT = "秘书处员"
MEETING = date(2026, 1, 5)


def seat(runtime: Runtime, body: Body, *members: dict[str, Any]) -> None:
    load_directory(runtime, {"committee": [{"body": body.value, "member": list(members)}]}, origin="test committee")


def record(runtime: Runtime, ballot: dict[str, Vote], *, actor: str = SECRETARIAT, **options: Any) -> dict[str, Any]:
    order = RecordResolution(
        options.pop("body", IC), "motion", ballot, actor, options.pop("held_on", MEETING), **options
    )
    return dict(record_resolution(runtime, order))


def rejected_case(runtime: Runtime) -> int:
    load_society(runtime, [1])
    case_id = submitted_case(runtime, 1)
    act(runtime, case_id, Action.ACCEPT_FOR_REVIEW)
    act(runtime, case_id, Action.FAIL_MATERIAL_REVIEW, "工程知识未达成")
    return case_id


def appeal_of(runtime: Runtime, case_id: int) -> str:
    order = LodgeAppeal("p1", "failed_evaluation", ("facts_wrong",), "评分有误", case_id=case_id)
    return lodge_appeal(runtime, order).reference


def test_the_quorum_is_counted_against_the_roster_of_the_meeting_day_and_votes_are_kept_by_username(
    runtime: Runtime, clock: FixedClock
) -> None:
    load_society(runtime, [])
    seat(
        runtime,
        IC,
        {**person(926, "卸任委员"), "from": "2022-01-01", "until": "2025-12-31"},
        {**person(927, "新任委员"), "from": "2026-02-01"},
    )
    found = record(runtime, {"p921": Vote.FOR, "公正委员2": Vote.FOR})
    assert (found["members"], found["voted"], found["in_favour"], found["valid"]) == (3, 2, 2, True)
    assert found["votes"] == {"p921": "for", "p922": "for", "p923": "absent"}
    assert show_resolution(runtime, found["reference"])["voters"][2] == {
        "username": "p923",
        "name": "公正委员3",
        "vote": "absent",
    }
    for outsider in ("卸任委员", "新任委员", "p900"):
        with pytest.raises(NotPermitted, match="not a member of the impartiality_committee on 2026-01-05"):
            record(runtime, {outsider: Vote.FOR, "公正委员1": Vote.FOR})
    clock.set(at("2026-02-02"))
    later = record(runtime, {"新任委员": Vote.FOR, "p921": Vote.FOR, "p922": Vote.FOR}, held_on=date(2026, 2, 2))
    assert (later["members"], later["voted"], later["valid"]) == (4, 3, True)


def test_a_vote_must_name_one_member_once(runtime: Runtime) -> None:
    load_society(runtime, [])
    seat(
        runtime,
        IC,
        {**person(926, "同名委员"), "from": "2024-01-01"},
        {**person(927, "同名委员"), "from": "2024-01-01"},
    )
    with pytest.raises(InputError, match="'同名委员' names more than one member") as ambiguous:
        record(runtime, {"同名委员": Vote.FOR})
    assert ambiguous.value.params["usernames"] == ["p926", "p927"]
    with pytest.raises(InputError, match=r"公正委员1 \(p921\) is listed twice"):
        record(runtime, {"p921": Vote.FOR, "公正委员1": Vote.AGAINST})
    assert record(runtime, {"p926": Vote.FOR, "p927": Vote.FOR, "p921": Vote.FOR, "p922": Vote.FOR})["valid"]


def test_only_the_secretariat_or_a_member_of_the_body_records_its_resolution(runtime: Runtime) -> None:
    load_society(runtime, [])
    ballot = {"公正委员1": Vote.FOR, "公正委员2": Vote.FOR}
    for outsider in ("王秘书", "审议委员1", "赵考官"):
        with pytest.raises(NotPermitted, match="only the secretariat or a member of the impartiality_committee"):
            record(runtime, ballot, actor=outsider)
    assert record(runtime, ballot, actor="公正委员3")["valid"]
    assert record(runtime, ballot)["valid"]


def test_the_policy_can_keep_the_recording_of_minutes_to_the_secretariat(runtime: Runtime) -> None:
    load_society(runtime, [])
    runtime.policies = dataclasses.replace(
        runtime.policies, governance=dataclasses.replace(runtime.governance, resolution_recorded_by="secretariat")
    )
    ballot = {"公正委员1": Vote.FOR, "公正委员2": Vote.FOR}
    with pytest.raises(NotPermitted, match="only the secretariat may"):
        record(runtime, ballot, actor="公正委员3")
    assert record(runtime, ballot)["valid"]


def test_a_meeting_not_yet_held_or_of_a_body_without_members_is_refused(runtime: Runtime) -> None:
    load_society(runtime, [])
    with pytest.raises(InputError, match="is after today"):
        record(runtime, {"公正委员1": Vote.FOR}, held_on=date(2026, 1, 6))
    with pytest.raises(DomainError, match="has no members on 2026-01-05"):
        record(runtime, {"公正委员1": Vote.FOR}, body=Body.ACADEMIC_COMMITTEE)


def test_exclusion_goes_by_person_so_a_namesake_of_the_examiner_may_sit_on_the_panel(runtime: Runtime) -> None:
    case_id = rejected_case(runtime)
    load_directory(
        runtime,
        {
            "staff": [
                {"name": "赵考官", "id_number": id_number(960), "email": "zhao2@example.cn", "role": "secretariat"}
            ]
        },
        origin="namesake",
    )
    reference = appeal_of(runtime, case_id)
    with pytest.raises(GuardRefused, match="赵考官 took part"):
        act_on_appeal(runtime, ActOnAppeal(reference, "appoint_panel", "公正委员1", panel=("p901",)))
    with pytest.raises(InputError, match="'赵考官' names more than one person"):
        act_on_appeal(runtime, ActOnAppeal(reference, "appoint_panel", "公正委员1", panel=("赵考官",)))
    act_on_appeal(runtime, ActOnAppeal(reference, "appoint_panel", "公正委员1", panel=("zhao2",)))
    appeal = show_appeal(runtime, reference)
    assert appeal["panel"] == ["赵考官"] and appeal["excluded"].count("赵考官") == 1


def test_each_governance_step_is_taken_only_by_its_party_on_the_day(runtime: Runtime) -> None:
    case_id = rejected_case(runtime)
    seat(runtime, IC, {**person(929, "前任委员"), "from": "2020-01-01", "until": "2025-12-31"})
    load_directory(
        runtime,
        {"society": {"code": "CHS", "name_zh": "中国水利学会"}, "workgroup": [person(950, "水利秘书")]},
        origin="second society",
    )
    everyone = ("秘书处员", "审议委员1", "主席团成员1", "公正委员1", "监督委员1", "王秘书", "p1", "p929")
    reference = appeal_of(runtime, case_id)
    feedback = file_feedback(runtime, FileFeedback("张三", "z@example.cn", "person", "建议", "请公开细则")).reference
    applied = apply_for_authorization(runtime, ApplyForAuthorization("CHS", "hydro", "规范", "水利秘书")).reference
    with pytest.raises(NotPermitted, match="only the workgroup or administrator of the applying society"):
        apply_for_authorization(runtime, ApplyForAuthorization("CHS", "civil", "规范", "王秘书"))
    steps = {
        "公正委员1": lambda who: act_on_appeal(runtime, ActOnAppeal(reference, "appoint_panel", who, panel=("p922",))),
        "监督委员1": lambda who: act_on_feedback(runtime, ActOnFeedback(feedback, "register", who)),
        "秘书处员": lambda who: act_on_authorization(runtime, ActOnAuthorization(applied, "pass_first_review", who)),
    }
    for allowed, step in steps.items():
        for someone in everyone:
            if someone != allowed:
                with pytest.raises(NotPermitted, match="may not"):
                    step(someone)
        step(allowed)


def test_the_migration_keys_appointees_appellants_recorders_and_votes_by_person(database_url: str) -> None:
    engine = sa.create_engine(database_url)
    resolution = sa.table(
        "resolution",
        *(sa.column(name, sa.String) for name in ("reference", "body", "motion", "arithmetic", "recorded_by")),
        *(sa.column(name, sa.Integer) for name in ("members", "voted", "in_favour", "recorded_by_id")),
        sa.column("held_on", sa.Date),
        sa.column("votes", sa.JSON),
        sa.column("valid", sa.Boolean),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    appointment = sa.table(
        "governance_appointment",
        *(sa.column(name, sa.String) for name in ("case_kind", "person_name", "role")),
        *(sa.column(name, sa.Integer) for name in ("id", "case_id", "person_id")),
        sa.column("appointed_at", sa.DateTime(timezone=True)),
    )
    person_table = sa.table(
        "person",
        sa.column("id", sa.Integer),
        *(sa.column(name, sa.String) for name in ("username", "name", "id_number_digest", "id_number_masked")),
        *(sa.column(name, sa.String) for name in ("email", "language", "employer")),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0008_cpd_integrity")
        for person_id, username, name in ((1, "zhang", "张委员"), (2, "li", "李委员"), (3, "li-2", "李委员")):
            connection.execute(
                sa.insert(person_table).values(
                    id=person_id,
                    username=username,
                    name=name,
                    id_number_digest=f"d{person_id}",
                    id_number_masked="x",
                    email="e@example.cn",
                    language="zh-CN",
                    employer="",
                    created_at=moment,
                )
            )
        for name in ("张委员", "李委员"):
            connection.execute(
                sa.insert(appointment).values(
                    case_kind="appeal", case_id=1, person_name=name, role="panel", appointed_at=moment
                )
            )
        connection.execute(
            sa.insert(resolution).values(
                reference="RES-2026-0001",
                body="presidium",
                motion="m",
                held_on=date(2026, 1, 1),
                votes={"张委员": "for", "李委员": "for"},
                members=2,
                voted=2,
                in_favour=2,
                valid=True,
                arithmetic="a",
                recorded_by="zhang",
                created_at=moment,
            )
        )
        command.upgrade(alembic_config(connection), "head")
        appointed = connection.execute(
            sa.select(appointment.c.person_name, appointment.c.person_id).order_by(appointment.c.id)
        )
        assert [tuple(row) for row in appointed] == [("张委员", 1), ("李委员", None)]
        votes, recorder = connection.execute(sa.select(resolution.c.votes, resolution.c.recorded_by_id)).one()
        assert (votes, recorder) == ({"zhang": "for", "李委员": "for"}, 1)
    engine.dispose()
