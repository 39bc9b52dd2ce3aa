"""`capeval db upgrade` brings a database from before the CPD integrity revision up to date: the ledger keyed
(copies of one activity dropped), who recognized each row, the renewed certificates' current term."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from capeval.models import Certificate, CpdActivity
from capeval.models.migrate import current_revision, head_revision, migrate, upgrade
from capeval.services.runtime import Runtime
from capeval.states.clock import FixedClock
from capeval.states.cpd import parse_activity
from capeval.states.cpd_ledger import natural_key

from ..factories import at, load_society
from .test_certificates import record, registered, training
from .test_handlers import rows

BEFORE = "0007_keyed_identity"


def test_an_old_ledger_is_keyed_its_copies_dropped_and_renewed_terms_dated(runtime: Runtime, clock: FixedClock) -> None:
    load_society(runtime, members=[1, 2])
    renewed, kept = registered(runtime, 1), registered(runtime, 2)
    migrate(runtime.engine, BEFORE)
    assert current_revision(runtime.engine) == BEFORE

    course = training("2026-03-01", 30, title="工程伦理")
    other = training("2026-04-01", 20, title="项目管理")
    with runtime.engine.begin() as connection:
        people = dict(connection.execute(sa.text("SELECT registration_number, person_id FROM certificate")).all())
        for person, activity, recorded_by in (
            (people[renewed], course, "申请人1"),
            (people[renewed], course, "平台"),
            (people[renewed], other, "申请人1"),
            (people[kept], course, "申请人2"),
        ):
            connection.execute(
                sa.text(
                    "INSERT INTO cpd_activity (person_id, year, kind, happened_on, attributes, evidence_reference,"
                    " source, recorded_by, recorded_at)"
                    " VALUES (:person, 2026, 'training', :day, :attributes, '', 'member', :by, :at)"
                ).bindparams(sa.bindparam("attributes", type_=sa.JSON), sa.bindparam("day", type_=sa.Date)),
                {
                    "person": person,
                    "day": date.fromisoformat(str(activity["date"])),
                    "attributes": activity,
                    "by": recorded_by,
                    "at": at("2026-05-01"),
                },
            )
        connection.execute(
            sa.text("UPDATE certificate SET renewals = 1, expires_on = :expiry WHERE registration_number = :number"),
            {"expiry": date(2036, 1, 4), "number": renewed},
        )

    assert upgrade(runtime.engine)
    assert current_revision(runtime.engine) == head_revision()
    with runtime.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []

    ledger = sorted(rows(runtime, CpdActivity), key=lambda row: row.id or 0)
    assert [(row.person_id, row.attributes["title"], row.recognized_by) for row in ledger] == [
        (people[renewed], "工程伦理", "申请人1"),
        (people[renewed], "项目管理", "申请人1"),
        (people[kept], "工程伦理", "申请人2"),
    ]
    assert [row.natural_key for row in ledger] == [
        natural_key(parse_activity(activity, "expected")) for activity in (course, other, course)
    ]
    terms = {row.registration_number: row.valid_from for row in rows(runtime, Certificate)}
    assert terms == {renewed: date(2031, 1, 5), kept: None}

    clock.set(at("2026-12-01"))
    again = record(runtime, renewed, [course, other, training("2026-05-01", 5)])
    assert (again.added, again.already) == (1, 2)
