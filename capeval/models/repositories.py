"""Repositories: queries and additions for one kind of record each. They never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, col, func, select

from capeval.states.engine import ensure_unchanged
from capeval.states.messages import Term

from .calendar import CalendarSchedule
from .case_context import (
    CALENDAR_FINGERPRINT,
    PLAIN,
    ContextRead,
    forget_prefetched,
    read_context,
    take_prefetched,
)
from .case_context import CaseContext as CaseContext
from .cases import Application, Deadline, EvidenceItem, StageHistory
from .directory import (
    CommitteeSeat,
    EngineeringField,
    Examiner,
    Person,
    Society,
    SocietyField,
    SocietyMembership,
    StaffAssignment,
)
from .outbox import OutboxMessage
from .outbox_queue import OutboxQueue
from .registry import Certificate, LifetimeBan
from .tables import new_row_values, table_of


class _Repository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: object) -> None:
        self.session.add(row)


_CALENDAR_FINGERPRINT = CALENDAR_FINGERPRINT
_EVIDENCE = (
    select(EvidenceItem)
    .where(col(EvidenceItem.application_id) == sa.bindparam("case_id"))
    .order_by(col(EvidenceItem.id))
)
_APPLICATION = table_of(Application)
_CASES_OF_PERSON_IN = (
    sa.select(_APPLICATION.c.id, _APPLICATION.c.field_code)
    .where(
        _APPLICATION.c.person_id == sa.bindparam("person_id"),
        _APPLICATION.c.stage.in_(sa.bindparam("stages", expanding=True)),
    )
    .order_by(_APPLICATION.c.id)
)
_CERTIFICATE = table_of(Certificate)
_STANDING_IN_FIELD = (
    sa.select(_CERTIFICATE.c.registration_number, _CERTIFICATE.c.level, _CERTIFICATE.c.status)
    .where(
        _CERTIFICATE.c.person_id == sa.bindparam("person_id"),
        _CERTIFICATE.c.status.in_(sa.bindparam("statuses", expanding=True)),
        _CERTIFICATE.c.field_code == sa.bindparam("field_code"),
    )
    .order_by(_CERTIFICATE.c.id)
)
_INSERT_HISTORY = sa.insert(table_of(StageHistory))
_INSERT_OUTBOX = sa.insert(table_of(OutboxMessage))
_INSERT_DEADLINE = sa.insert(table_of(Deadline))
_STAFF = table_of(StaffAssignment)
_HOLDS_FEDERATION_ROLE = (
    sa.select(_STAFF.c.id)
    .where(
        _STAFF.c.person_id == sa.bindparam("person_id"),
        _STAFF.c.role == sa.bindparam("role"),
        _STAFF.c.society_id.is_(None),
    )
    .limit(1)
)
_HOLDS_ROLE = (
    sa.select(_STAFF.c.id)
    .where(
        _STAFF.c.person_id == sa.bindparam("person_id"),
        _STAFF.c.role == sa.bindparam("role"),
        _STAFF.c.society_id == sa.bindparam("society_id"),
    )
    .limit(1)
)
_RECORD_MOVE = (
    sa.update(_APPLICATION)
    .where(_APPLICATION.c.id == sa.bindparam("case_id"), _APPLICATION.c.version == sa.bindparam("expected_version"))
    .values(version=_APPLICATION.c.version + 1)
)


class ApplicationRepository(_Repository):
    """Cases and their evidence."""

    def get(self, case_id: int) -> Application | None:
        return self.session.get(Application, case_id)

    def context(self, case_id: int, *, lock: bool = False, read: ContextRead = PLAIN) -> CaseContext | None:
        """The case, its applicant, society, authorization, membership, ban and active certificate at once,
        with what `read` asks for besides (the actor's people and roles, facts of the guards) in the same read.

        With `lock` the case's row stays locked until the transaction ends: on PostgreSQL the same read
        `FOR UPDATE`; on SQLite a write to the row first, which takes the database's one write lock before
        anything is read (see `ReviewRepository.lock_case`)."""
        return read_context(self.session, case_id, lock, read)

    def record_move(self, case_id: int, expected_version: int, values: dict[str, object]) -> None:
        """Write a stage change if the case is still at `expected_version`; else ConcurrencyConflict."""
        params = {"case_id": case_id, "expected_version": expected_version, **values}
        result = self.session.connection().execute(_RECORD_MOVE, params)
        ensure_unchanged(Term("subject_case", {"case_id": case_id}), result.rowcount == 1)

    def mark_changed(self, case: Application) -> None:
        """Have the next flush write the case (and so raise its version) even if no value of it differs."""
        flag_modified(case, "updated_at")

    def evidence(self, case_id: int) -> Sequence[EvidenceItem]:
        return self.session.exec(_EVIDENCE, params={"case_id": case_id}).all()

    def waiting_in(self, society_id: int, stages: Sequence[str]) -> list[tuple[int, str, str, datetime]]:
        """(case id, applicant name, stage, last change) of a society's cases in these stages, longest waiting first."""
        query = (
            select(Application.id, Person.name, Application.stage, Application.updated_at)
            .join(Person, col(Person.id) == col(Application.person_id))
            .where(Application.society_id == society_id, col(Application.stage).in_(stages))
            .order_by(col(Application.updated_at), col(Application.id))
        )
        return [(int(case_id or 0), name, stage, at) for case_id, name, stage, at in self.session.exec(query).all()]

    def open_case_like(
        self, person_id: int, society_id: int, field_code: str, level: str, stages: Sequence[str]
    ) -> int | None:
        """The oldest case of a person in this society, field and level in one of these stages, if any."""
        statement = (
            select(Application.id)
            .where(
                Application.person_id == person_id,
                Application.society_id == society_id,
                Application.field_code == field_code,
                Application.level == level,
                col(Application.stage).in_(list(stages)),
            )
            .order_by(col(Application.id))
            .limit(1)
        )
        return self.session.exec(statement).first()

    def of_person_in(self, person_id: int, stages: Sequence[str]) -> list[tuple[int, str]]:
        """(case id, field) of a person's cases in these stages, oldest first."""
        params = {"person_id": person_id, "stages": list(stages)}
        return [(int(case_id), field) for case_id, field in self.session.execute(_CASES_OF_PERSON_IN, params)]


class DirectoryRepository(_Repository):
    """Societies, fields, people and their roles."""

    def field(self, code: str) -> EngineeringField | None:
        return self.session.get(EngineeringField, code)

    def fields(self) -> Sequence[EngineeringField]:
        return self.session.exec(select(EngineeringField).order_by(col(EngineeringField.code))).all()

    def society(self, society_id: int) -> Society | None:
        return self.session.get(Society, society_id)

    def society_by_code(self, code: str) -> Society | None:
        return self.session.exec(select(Society).where(Society.code == code)).first()

    def societies(self) -> Sequence[Society]:
        return self.session.exec(select(Society).order_by(col(Society.code))).all()

    def authorization(self, society_id: int, field_code: str) -> SocietyField | None:
        query = select(SocietyField).where(SocietyField.society_id == society_id, SocietyField.field_code == field_code)
        return self.session.exec(query).first()

    def authorizations_of(self, society_id: int) -> Sequence[SocietyField]:
        query = select(SocietyField).where(SocietyField.society_id == society_id).order_by(col(SocietyField.field_code))
        return self.session.exec(query).all()

    def person(self, person_id: int) -> Person | None:
        return self.session.get(Person, person_id)

    def person_by_digest(self, digest: str) -> Person | None:
        return self.session.exec(select(Person).where(Person.id_number_digest == digest)).first()

    def membership(self, person_id: int, society_id: int) -> SocietyMembership | None:
        query = select(SocietyMembership).where(
            SocietyMembership.person_id == person_id, SocietyMembership.society_id == society_id
        )
        return self.session.exec(query).first()

    def person_by_username(self, username: str) -> Person | None:
        return self.session.exec(select(Person).where(Person.username == username)).first()

    def people_called(self, text: str) -> Sequence[Person]:
        """The people whose username or name is `text`, in id order (one read for `person_acting`; none when
        the case context read of a command brought them)."""
        known, people = take_prefetched(self.session, ("people_called", text))
        if known:
            return cast("list[Person]", people)
        query = select(Person).where(sa.or_(col(Person.username) == text, col(Person.name) == text))
        query = query.order_by(col(Person.id))
        return self.session.exec(query).all()

    def people_named(self, name: str) -> Sequence[Person]:
        return self.session.exec(select(Person).where(Person.name == name).order_by(col(Person.id))).all()

    def forget_prefetched(self) -> None:
        """Forget the answers about people and roles a case context read brought and no lookup took."""
        forget_prefetched(self.session)

    def usernames_like(self, base: str) -> set[str]:
        """The usernames that are `base` or start with it (to derive a free one)."""
        query = select(Person.username).where(col(Person.username).startswith(base))
        return set(self.session.exec(query).all())

    def staff(self, role: str, society_id: int | None) -> Sequence[Person]:
        """The people holding `role` for a society (or, with None, for the federation), in id order."""
        query = (
            select(Person)
            .join(StaffAssignment, col(StaffAssignment.person_id) == col(Person.id))
            .where(StaffAssignment.role == role, StaffAssignment.society_id == society_id)
            .order_by(col(Person.id))
        )
        return self.session.exec(query).all()

    def workgroup(self, society_id: int) -> Sequence[Person]:
        return self.staff("workgroup", society_id)

    def assignments(self, person_id: int) -> Sequence[StaffAssignment]:
        query = select(StaffAssignment).where(StaffAssignment.person_id == person_id)
        return self.session.exec(query.order_by(col(StaffAssignment.id))).all()

    def withdraw(self, assignment: StaffAssignment) -> None:
        """Remove a staff role from the person holding it."""
        self.session.delete(assignment)

    def holds_role(self, person_id: int, role: str, society_id: int | None) -> bool:
        """Whether the person holds `role` for the society (None: the federation), read as one Core row (none
        when the case context read of a command brought the answer)."""
        known, held = take_prefetched(self.session, ("holds_role", person_id, role, society_id))
        if known:
            return bool(held)
        params = {"person_id": person_id, "role": role}
        if society_id is None:
            return self.session.execute(_HOLDS_FEDERATION_ROLE, params).first() is not None
        return self.session.execute(_HOLDS_ROLE, {**params, "society_id": society_id}).first() is not None

    def assignment(self, person_id: int, role: str, society_id: int | None) -> StaffAssignment | None:
        query = select(StaffAssignment).where(
            StaffAssignment.person_id == person_id,
            StaffAssignment.role == role,
            StaffAssignment.society_id == society_id,
        )
        return self.session.exec(query).first()

    def seats(self, body: str) -> Sequence[tuple[CommitteeSeat, Person]]:
        """Every seat ever held on `body`, with its holder, in term order."""
        query = (
            select(CommitteeSeat, Person)
            .join(Person, col(Person.id) == col(CommitteeSeat.person_id))
            .where(CommitteeSeat.body == body)
            .order_by(col(CommitteeSeat.starts_on), col(CommitteeSeat.id))
        )
        return [(seat, person) for seat, person in self.session.exec(query).all()]

    def roster(self, body: str, on: date) -> list[Person]:
        """The members of `body` whose term covers `on` (the roster a quorum is counted against)."""
        return [person for seat, person in self.seats(body) if seat.holds_on(on)]

    def seats_of(self, person_id: int) -> Sequence[CommitteeSeat]:
        query = select(CommitteeSeat).where(CommitteeSeat.person_id == person_id)
        return self.session.exec(query.order_by(col(CommitteeSeat.starts_on))).all()

    def examiners(self, society_id: int, field_code: str) -> Sequence[Examiner]:
        query = select(Examiner).where(Examiner.society_id == society_id, Examiner.field_code == field_code)
        return self.session.exec(query.order_by(col(Examiner.id))).all()

    def society_ids(self, after_id: int, limit: int) -> list[int]:
        """Society ids after `after_id`, in order, `limit` at a time."""
        query = select(Society.id).where(col(Society.id) > after_id).order_by(col(Society.id)).limit(limit)
        return [int(value) for value in self.session.exec(query).all() if value is not None]


class HistoryRepository(_Repository):
    """The append-only stage history."""

    def append(self, values: dict[str, object]) -> None:
        """Add one history line (a plain insert: history rows are never read back in the same transaction)."""
        self.session.connection().execute(_INSERT_HISTORY, values)

    def for_case(self, case_id: int) -> Sequence[StageHistory]:
        query = select(StageHistory).where(StageHistory.application_id == case_id).order_by(col(StageHistory.id))
        return self.session.exec(query).all()


class DeadlineRepository(_Repository):
    """Deadlines of cases; due ones are found through the (status, due_on) index."""

    def insert(self, values: dict[str, Any]) -> None:
        """Write a new deadline of these values at once (a plain insert: the session does not track it)."""
        self.session.connection().execute(_INSERT_DEADLINE, new_row_values(Deadline, values))

    def open_for_cases(self, case_ids: Sequence[int]) -> Sequence[Deadline]:
        if not case_ids:
            return []
        query = select(Deadline).where(col(Deadline.application_id).in_(case_ids), Deadline.status == "open")
        return self.session.exec(query).all()

    def count(self, case_id: int, kind: str) -> int:
        query = (
            select(func.count()).select_from(Deadline).where(Deadline.application_id == case_id, Deadline.kind == kind)
        )
        return int(self.session.exec(query).one())

    def overdue(
        self, kinds: Sequence[str], today: date, limit: int, after_id: int = 0, ids: tuple[int, int] | None = None
    ) -> Sequence[Deadline]:
        """Open deadlines of these kinds whose date has passed, oldest first, `limit` at a time; `ids` (low,
        high, both included) keeps one key range of them."""
        query = (
            select(Deadline)
            .where(
                Deadline.status == "open",
                col(Deadline.due_on) < today,
                col(Deadline.kind).in_(kinds),
                col(Deadline.id) > after_id,
            )
            .order_by(col(Deadline.id))
            .limit(limit)
        )
        if ids is not None:
            query = query.where(col(Deadline.id) >= ids[0], col(Deadline.id) <= ids[1])
        return self.session.exec(query).all()

    def overdue_bounds(self, kinds: Sequence[str], today: date) -> tuple[int, int] | None:
        """The lowest and highest id of the open deadlines of these kinds whose date has passed; None if none."""
        query = select(func.min(Deadline.id), func.max(Deadline.id)).where(
            Deadline.status == "open", col(Deadline.due_on) < today, col(Deadline.kind).in_(kinds)
        )
        low, high = self.session.exec(query).one()
        return None if low is None or high is None else (int(low), int(high))

    def open_due_between(
        self,
        kinds: Sequence[str],
        first: date,
        last: date,
        after_id: int,
        limit: int,
        ids: tuple[int, int] | None = None,
    ) -> list[tuple[int, int]]:
        """(deadline id, case id) of open deadlines of these kinds due from `first` to `last`, after `after_id`;
        `ids` (low, high, both included) keeps one key range of them."""
        query = (
            select(Deadline.id, Deadline.application_id)
            .where(
                Deadline.status == "open",
                col(Deadline.due_on) >= first,
                col(Deadline.due_on) <= last,
                col(Deadline.kind).in_(kinds),
                col(Deadline.id) > after_id,
            )
            .order_by(col(Deadline.id))
            .limit(limit)
        )
        if ids is not None:
            query = query.where(col(Deadline.id) >= ids[0], col(Deadline.id) <= ids[1])
        return [(int(d or 0), int(c)) for d, c in self.session.exec(query).all()]

    def open_due_between_bounds(self, kinds: Sequence[str], first: date, last: date) -> tuple[int, int] | None:
        """The lowest and highest id of the open deadlines of these kinds due from `first` to `last`; None if none."""
        query = select(func.min(Deadline.id), func.max(Deadline.id)).where(
            Deadline.status == "open",
            col(Deadline.due_on) >= first,
            col(Deadline.due_on) <= last,
            col(Deadline.kind).in_(kinds),
        )
        low, high = self.session.exec(query).one()
        return None if low is None or high is None else (int(low), int(high))

    def open_with_case(self, deadline_ids: Sequence[int]) -> Sequence[tuple[Deadline, Application, Person]]:
        """These deadlines, those still open, each with its case and applicant."""
        query = (
            select(Deadline, Application, Person)
            .join(Application, col(Application.id) == col(Deadline.application_id))
            .join(Person, col(Person.id) == col(Application.person_id))
            .where(col(Deadline.id).in_(deadline_ids), Deadline.status == "open")
        )
        return self.session.exec(query).all()

    def open_due_by(self, society_id: int, last: date) -> list[tuple[int, str, str, date, bool]]:
        """(case id, applicant name, kind, due date, provisional) of a society's open deadlines due by `last`,
        soonest first."""
        query = (
            sa.select(
                col(Deadline.application_id),
                col(Person.name),
                col(Deadline.kind),
                col(Deadline.due_on),
                col(Deadline.provisional),
            )
            .join(Application, col(Application.id) == col(Deadline.application_id))
            .join(Person, col(Person.id) == col(Application.person_id))
            .where(
                col(Deadline.status) == "open",
                col(Deadline.due_on) <= last,
                col(Application.society_id) == society_id,
            )
            .order_by(col(Deadline.due_on), col(Application.id))
        )
        found = self.session.execute(query).all()
        return [(int(case_id), str(name), str(kind), due, bool(p)) for case_id, name, kind, due, p in found]


class OutboxRepository(_Repository, OutboxQueue):
    """Messages waiting to be sent, and the outbox as a work queue (claim, mark sent, retry or dead)."""

    def append(self, values: dict[str, object]) -> None:
        """Queue one message (a plain insert; the unique dedupe key refuses a second copy)."""
        self.session.connection().execute(_INSERT_OUTBOX, values)

    def append_all(self, rows: Sequence[dict[str, Any]]) -> None:
        """Queue several messages in one insert (nothing is sent for none; one row's values for one, no
        executemany path)."""
        if rows:
            self.session.connection().execute(_INSERT_OUTBOX, rows[0] if len(rows) == 1 else list(rows))

    def for_case(self, case_id: int) -> Sequence[OutboxMessage]:
        query = select(OutboxMessage).where(OutboxMessage.application_id == case_id)
        return self.session.exec(query.order_by(col(OutboxMessage.id))).all()

    def exists(self, dedupe_key: str) -> bool:
        query = select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
        return self.session.exec(query).first() is not None

    def count_by_status(self) -> dict[str, int]:
        query = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        return {status: int(count) for status, count in self.session.exec(query).all()}


class RegistryRepository(_Repository):
    """Certificates and lifetime bans."""

    def active_certificate(self, person_id: int, field_code: str) -> Certificate | None:
        query = select(Certificate).where(
            Certificate.person_id == person_id,
            Certificate.field_code == field_code,
            Certificate.status == "active",
        )
        return self.session.exec(query).first()

    def certificates_of(self, person_id: int) -> Sequence[Certificate]:
        return self.session.exec(select(Certificate).where(Certificate.person_id == person_id)).all()

    def certificate_for_case(self, case_id: int) -> Certificate | None:
        return self.session.exec(select(Certificate).where(Certificate.application_id == case_id)).first()

    def ban(self, digest: str) -> LifetimeBan | None:
        return self.session.exec(select(LifetimeBan).where(LifetimeBan.id_number_digest == digest)).first()

    def standing_in_field(self, person_id: int, field_code: str, statuses: Sequence[str]) -> list[tuple[str, str, str]]:
        """(number, level, status) of a person's certificates in a field that are in these statuses."""
        params = {"person_id": person_id, "field_code": field_code, "statuses": list(statuses)}
        return [(number, level, status) for number, level, status in self.session.execute(_STANDING_IN_FIELD, params)]


class CalendarRepository(_Repository):
    """Stored holiday schedules, every version kept."""

    def latest(self) -> Sequence[CalendarSchedule]:
        newest = (
            select(CalendarSchedule.year, func.max(CalendarSchedule.version).label("version"))
            .group_by(col(CalendarSchedule.year))
            .subquery()
        )
        query = (
            select(CalendarSchedule)
            .join(
                newest,
                sa.and_(
                    col(CalendarSchedule.year) == newest.c.year,
                    col(CalendarSchedule.version) == newest.c.version,
                ),
            )
            .order_by(col(CalendarSchedule.year))
        )
        return self.session.exec(query).all()

    def versions(self, year: int) -> Sequence[CalendarSchedule]:
        query = select(CalendarSchedule).where(CalendarSchedule.year == year)
        return self.session.exec(query.order_by(col(CalendarSchedule.version))).all()

    def add(self, row: object) -> None:
        self.forget_fingerprint()
        super().add(row)

    def forget_fingerprint(self) -> None:
        """Have the next `fingerprint` read the table (a schedule was added, or the transaction ended)."""
        self.session.info.pop(_CALENDAR_FINGERPRINT, None)

    def fingerprint(self) -> tuple[int, int]:
        """Changes whenever a schedule is added: (row count, highest id); the one a case context read of this
        transaction brought, when there was one and no schedule was added since."""
        known = self.session.info.get(_CALENDAR_FINGERPRINT)
        if known is not None:
            return cast("tuple[int, int]", known)
        count, top = self.session.exec(select(func.count(), func.max(CalendarSchedule.id))).one()
        return int(count), int(top or 0)
