"""Certificates, their history, registration counters, CPD ledger and exemptions. Never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from .directory import Person, Society
from .outbox import OutboxMessage
from .registry import (
    Certificate,
    CertificateHistory,
    CpdActivity,
    CpdExemption,
    CpdLecturer,
    RegistrationCounter,
    SocietyCpdPolicy,
)
from .tables import new_row_values, table_of

_COUNTER = table_of(RegistrationCounter)
_CERTIFICATE = table_of(Certificate)
_HISTORY = table_of(CertificateHistory)
_OUTBOX = table_of(OutboxMessage)
_ACTIVITY = table_of(CpdActivity)
LIVE = ("active", "suspended")
_SET_DUE = {
    column: sa.update(_CERTIFICATE)
    .where(_CERTIFICATE.c.id == sa.bindparam("certificate_id"))
    .values({column: sa.bindparam("due_on")})
    for column in ("next_reminder_on", "cpd_check_on")
}
_HISTORY_INSERT = sa.insert(_HISTORY).returning(_HISTORY.c.id)
_CERTIFICATE_INSERT = sa.insert(_CERTIFICATE).returning(_CERTIFICATE.c.id)
_QUEUE_ONCE: dict[str, Any] = {}
_RAISE_COUNTER = (
    sa.update(_COUNTER)
    .where(_COUNTER.c.society_id == sa.bindparam("of_society"), _COUNTER.c.year == sa.bindparam("of_year"))
    .values(last_sequence=_COUNTER.c.last_sequence + 1)
    .returning(_COUNTER.c.last_sequence)
)


class CertificateRepository:
    """Everything about certificates that the handlers, the register and the renewal sweep read or add."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _insert(self, table: sa.Table) -> Any:
        dialect = self.session.get_bind().dialect.name
        module = postgresql if dialect == "postgresql" else sqlite
        return module.insert(table)

    def _queue_statement(self) -> Any:
        dialect = self.session.get_bind().dialect.name
        if dialect not in _QUEUE_ONCE:
            insert = self._insert(_OUTBOX).on_conflict_do_nothing(index_elements=["dedupe_key"])
            _QUEUE_ONCE[dialect] = insert.returning(_OUTBOX.c.id)
        return _QUEUE_ONCE[dialect]

    def add(self, row: object) -> None:
        self.session.add(row)

    def insert(self, values: dict[str, Any]) -> int:
        """Write a new certificate of these values at once and return its id (a plain insert: the session does
        not track it)."""
        row = new_row_values(Certificate, values)
        return int(self.session.connection().execute(_CERTIFICATE_INSERT, row).scalar_one())

    def next_sequence(self, society_id: int, year: int) -> int:
        """Raise the society's counter for `year` under a row lock and return the new value (never reused).

        One cached `UPDATE … RETURNING` once the year has its counter row; the year's first number inserts
        the row first (a concurrent first insert is let be) and raises it the same way."""
        params = {"of_society": society_id, "of_year": year}
        raised = self.session.connection().execute(_RAISE_COUNTER, params).scalar_one_or_none()
        if raised is not None:
            return int(raised)
        self.session.execute(
            self._insert(_COUNTER)
            .values(society_id=society_id, year=year, last_sequence=0)
            .on_conflict_do_nothing(index_elements=["society_id", "year"])
        )
        return int(self.session.execute(_RAISE_COUNTER, params).scalar_one())

    def with_holder(self, number: str) -> tuple[Certificate, Person, Society] | None:
        query = (
            select(Certificate, Person, Society)
            .join(Person, col(Person.id) == col(Certificate.person_id))
            .join(Society, col(Society.id) == col(Certificate.society_id))
            .where(Certificate.registration_number == number)
        )
        row = self.session.exec(query).first()
        return (row[0], row[1], row[2]) if row else None

    def move(self, certificate_id: int, from_status: str, values: dict[str, Any]) -> bool:
        """Write a status change only if the certificate is still in `from_status`."""
        query = (
            sa.update(_CERTIFICATE)
            .where(_CERTIFICATE.c.id == certificate_id, _CERTIFICATE.c.status == from_status)
            .values(**values)
        )
        result = cast("sa.CursorResult[Any]", self.session.execute(query))
        return result.rowcount == 1

    def set_renewal_requested(self, certificate_id: int, day: date) -> None:
        query = sa.update(_CERTIFICATE).where(_CERTIFICATE.c.id == certificate_id).values(renewal_requested_on=day)
        self.session.execute(query)

    def append_history(self, values: dict[str, Any]) -> int:
        """Add one history line and return its id (history is never updated or deleted)."""
        return int(self.session.connection().execute(_HISTORY_INSERT, values).scalar_one())

    def history(self, certificate_id: int) -> Sequence[CertificateHistory]:
        query = select(CertificateHistory).where(CertificateHistory.certificate_id == certificate_id)
        return self.session.exec(query.order_by(col(CertificateHistory.id))).all()

    def changes_between(
        self, start: date, end: date
    ) -> Sequence[tuple[CertificateHistory, Certificate, Person, Society]]:
        """Every certificate change effective from `start` to `end` (both included), for the federation report."""
        query = (
            select(CertificateHistory, Certificate, Person, Society)
            .join(Certificate, col(Certificate.id) == col(CertificateHistory.certificate_id))
            .join(Person, col(Person.id) == col(Certificate.person_id))
            .join(Society, col(Society.id) == col(Certificate.society_id))
            .where(col(CertificateHistory.effective_on) >= start, col(CertificateHistory.effective_on) <= end)
            .order_by(col(CertificateHistory.effective_on), col(CertificateHistory.id))
        )
        return [(h, c, p, s) for h, c, p, s in self.session.exec(query).all()]

    def queue_once(self, values: dict[str, Any]) -> bool:
        """Queue an outbox message unless one with its dedupe key exists; True when it was queued.

        Read from the row the insert returns: PostgreSQL's driver reports no row count for this statement.
        """
        return self.session.execute(self._queue_statement(), values).first() is not None

    def set_due(self, column: str, changes: list[dict[str, Any]]) -> None:
        """Move the due date `column` of many certificates at once: [{certificate_id, due_on}, ...]."""
        if changes:
            self.session.execute(_SET_DUE[column], changes)

    def due(
        self,
        column: str,
        today: date,
        limit: int,
        after: tuple[date, int] | None = None,
        ids: tuple[int, int] | None = None,
    ) -> Sequence[tuple[Certificate, Person]]:
        """Certificates whose `column` due date is on or before today, in (due date, id) order after `after`.

        The due (date, id) pairs come off the index on `column` alone, then only those rows are fetched with
        their holders, so a batch reads only due rows however many certificates (and holders) there are.
        `ids` (low, high, both included) keeps one key range of certificate ids.
        """
        due_column = _CERTIFICATE.c[column]
        keys = sa.select(due_column, _CERTIFICATE.c.id).where(due_column <= today)
        return self._fetch(self._due_keys(keys, due_column, after, limit, ids))

    def past_validity(
        self, today: date, limit: int, after: tuple[date, int] | None = None, ids: tuple[int, int] | None = None
    ) -> Sequence[tuple[Certificate, Person]]:
        """Live certificates whose last valid day is before today, in (expiry, id) order after `after`."""
        expires = _CERTIFICATE.c.expires_on
        keys = sa.select(expires, _CERTIFICATE.c.id).where(_CERTIFICATE.c.status.in_(LIVE), expires < today)
        return self._fetch(self._due_keys(keys, expires, after, limit, ids))

    def id_bounds(self) -> tuple[int, int] | None:
        """The lowest and highest certificate id (the primary key's ends); None without certificates."""
        low, high = self.session.execute(
            sa.select(sa.func.min(_CERTIFICATE.c.id), sa.func.max(_CERTIFICATE.c.id))
        ).one()
        return None if low is None or high is None else (int(low), int(high))

    def _due_keys(
        self,
        keys: sa.Select[Any],
        due_column: Any,
        after: tuple[date, int] | None,
        limit: int,
        ids: tuple[int, int] | None = None,
    ) -> list[int]:
        """The ids of the next `limit` due rows after the cursor: from the due index, without joins."""
        if ids is not None:
            keys = keys.where(_CERTIFICATE.c.id >= ids[0], _CERTIFICATE.c.id <= ids[1])
        if after is not None:
            on, last = after
            keys = keys.where(due_column >= on, sa.or_(due_column > on, _CERTIFICATE.c.id > last))
        query = keys.order_by(due_column, _CERTIFICATE.c.id).limit(limit)
        return [int(row[1]) for row in self.session.execute(query).all()]

    def _fetch(self, ids: list[int]) -> list[tuple[Certificate, Person]]:
        """These certificates with their holders, in the order of `ids` (a batch: one parameter per row)."""
        if not ids:
            return []
        query = (
            select(Certificate, Person)
            .join(Person, col(Person.id) == col(Certificate.person_id))
            .where(col(Certificate.id).in_(ids))
        )
        found = {c.id: (c, p) for c, p in self.session.exec(query).all()}
        return [found[i] for i in ids if i in found]

    def activities(self, person_ids: Sequence[int], years: Sequence[int]) -> Sequence[CpdActivity]:
        if not person_ids or not years:
            return []
        query = select(CpdActivity).where(col(CpdActivity.person_id).in_(person_ids), col(CpdActivity.year).in_(years))
        return self.session.exec(query.order_by(col(CpdActivity.happened_on), col(CpdActivity.id))).all()

    def add_activity(self, values: dict[str, Any]) -> bool:
        """Add a ledger row unless the holder has one with its natural key; True when it was added."""
        statement = (
            self._insert(_ACTIVITY)
            .on_conflict_do_nothing(index_elements=["person_id", "natural_key"])
            .returning(_ACTIVITY.c.id)
        )
        return self.session.execute(statement, values).first() is not None

    def ledger(self, person_id: int) -> Sequence[CpdActivity]:
        """Every ledger row of a holder, by date."""
        query = select(CpdActivity).where(CpdActivity.person_id == person_id)
        return self.session.exec(query.order_by(col(CpdActivity.happened_on), col(CpdActivity.id))).all()

    def lecturer_periods(self, person_ids: Sequence[int]) -> Sequence[CpdLecturer]:
        """The lecturer qualifications societies recorded for these people, oldest first."""
        if not person_ids:
            return []
        query = select(CpdLecturer).where(col(CpdLecturer.person_id).in_(person_ids))
        return self.session.exec(query.order_by(col(CpdLecturer.since), col(CpdLecturer.id))).all()

    def exempt_years(self, certificate_id: int) -> frozenset[int]:
        query = select(CpdExemption.year).where(CpdExemption.certificate_id == certificate_id)
        return frozenset(int(year) for year in self.session.exec(query).all())

    def exemption(self, certificate_id: int, year: int) -> CpdExemption | None:
        query = select(CpdExemption).where(CpdExemption.certificate_id == certificate_id, CpdExemption.year == year)
        return self.session.exec(query).first()

    def cpd_policies(self, society_ids: Sequence[int]) -> dict[int, str]:
        if not society_ids:
            return {}
        query = select(SocietyCpdPolicy).where(col(SocietyCpdPolicy.society_id).in_(society_ids))
        return {row.society_id: row.policy for row in self.session.exec(query).all()}

    def cpd_policy_row(self, society_id: int) -> SocietyCpdPolicy | None:
        return self.session.get(SocietyCpdPolicy, society_id)
