"""The outbox as a work queue: claim due messages with a lease, then mark each sent, retried or dead.

On PostgreSQL a claim selects its rows `FOR UPDATE SKIP LOCKED`, so dispatchers running at once take
different rows, then updates them; on SQLite it is one conditional UPDATE over a sub-select, atomic under
SQLite's single writer. A claimed row is `sending` with `next_attempt_at` at the end of its lease; when a
dispatcher dies, the lease runs out and the row is claimable again. A due row that already had its last
attempt is never claimed again: the claim dead-letters it instead. The dispatcher renews its claim's lease
while the batch is sending and sends only a row the claim still holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from .outbox import OutboxMessage
from .tables import table_of

PENDING, SENDING, SENT, DEAD = "pending", "sending", "sent", "dead"
STATUSES = (PENDING, SENDING, SENT, DEAD)
_TABLE = table_of(OutboxMessage)


_SETTLE_WHERE = sa.and_(
    _TABLE.c.id == sa.bindparam("message_id"),
    _TABLE.c.claim_token == sa.bindparam("token"),
    _TABLE.c.status == SENDING,
)
_MARK_SENT = (
    sa.update(_TABLE)
    .where(_SETTLE_WHERE)
    .values(status=SENT, claim_token=None, sent_at=sa.bindparam("at"), last_error="")
)
_MARK_DEAD = (
    sa.update(_TABLE).where(_SETTLE_WHERE).values(status=DEAD, claim_token=None, last_error=sa.bindparam("error"))
)
_MARK_RETRY = (
    sa.update(_TABLE)
    .where(_SETTLE_WHERE)
    .values(
        status=PENDING, claim_token=None, next_attempt_at=sa.bindparam("retry_at"), last_error=sa.bindparam("error")
    )
)


class OutboxLine(NamedTuple):
    """The columns of a message that an operator's listing shows."""

    id: int
    status: str
    template: str
    recipient_email: str
    language: str
    attempts: int
    next_attempt_at: datetime
    sent_at: datetime | None
    dedupe_key: str
    last_error: str


_LINE_COLUMNS = [_TABLE.c[name] for name in OutboxLine._fields]


def _claimable(now: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(_TABLE.c.status.in_((PENDING, SENDING)), _TABLE.c.next_attempt_at <= now)


def _held(token: str) -> sa.ColumnElement[bool]:
    return sa.and_(_TABLE.c.claim_token == token, _TABLE.c.status == SENDING)


SPENT_NOTE = "dead-lettered: all {max_attempts} attempts were made, the last one ended without a recorded outcome"


class OutboxQueue:
    """Queue operations on `outbox_message`; like every repository it never commits."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def dead_letter_spent(self, now: datetime, max_attempts: int) -> int:
        """Dead-letter every due message that already had `max_attempts` attempts; returns how many."""
        note = SPENT_NOTE.format(max_attempts=max_attempts)
        error = sa.case(
            (_TABLE.c.last_error == "", sa.literal(note, sa.Text)),
            else_=sa.literal(f"{note}; before: ", sa.Text) + _TABLE.c.last_error,
        )
        statement = (
            sa.update(_TABLE)
            .where(_claimable(now), _TABLE.c.attempts >= max_attempts)
            .values(status=DEAD, claim_token=None, last_error=error)
            .returning(_TABLE.c.id)
        )
        return len(self.session.execute(statement.execution_options(synchronize_session=False)).all())

    def claim(
        self, token: str, now: datetime, lease_until: datetime, limit: int, max_attempts: int | None = None
    ) -> Sequence[OutboxMessage]:
        """Reserve up to `limit` due messages for `token` until `lease_until`; counts one attempt each.

        With `max_attempts`, only messages with an attempt left are taken (dead-letter the rest first with
        `dead_letter_spent`).
        """
        due = _claimable(now) if max_attempts is None else sa.and_(_claimable(now), _TABLE.c.attempts < max_attempts)
        chosen = sa.select(_TABLE.c.id).where(due).order_by(_TABLE.c.next_attempt_at, _TABLE.c.id)
        chosen = chosen.limit(limit)
        target: sa.ColumnElement[bool]
        if self.session.get_bind().dialect.name == "postgresql":
            ids = list(self.session.execute(chosen.with_for_update(skip_locked=True)).scalars())
            if not ids:
                return []
            target = _TABLE.c.id.in_(ids)
        else:
            target = _TABLE.c.id.in_(chosen.scalar_subquery())
        self.session.execute(
            sa.update(_TABLE)
            .where(target, due)
            .values(
                status=SENDING,
                claim_token=token,
                next_attempt_at=lease_until,
                attempts=_TABLE.c.attempts + 1,
                last_attempt_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        query = select(OutboxMessage).where(OutboxMessage.claim_token == token, OutboxMessage.status == SENDING)
        return self.session.exec(query.order_by(col(OutboxMessage.id))).all()

    def renew(self, token: str, lease_until: datetime) -> set[int]:
        """Move the lease of every message `token` still holds to `lease_until`; returns their ids."""
        statement = sa.update(_TABLE).where(_held(token)).values(next_attempt_at=lease_until).returning(_TABLE.c.id)
        return set(self.session.execute(statement.execution_options(synchronize_session=False)).scalars())

    def holds(self, message_id: int, token: str) -> bool:
        """Whether `token` still holds the message (nobody took it over, nothing settled it)."""
        query = sa.select(_TABLE.c.id).where(_TABLE.c.id == message_id, _held(token))
        return self.session.execute(query).first() is not None

    def release(self, token: str, now: datetime) -> int:
        """Give back every message `token` still holds, due now and without the attempt its claim counted."""
        statement = (
            sa.update(_TABLE)
            .where(_held(token))
            .values(status=PENDING, claim_token=None, next_attempt_at=now, attempts=_TABLE.c.attempts - 1)
            .returning(_TABLE.c.id)
        )
        return len(self.session.execute(statement.execution_options(synchronize_session=False)).all())

    def mark_sent(self, message_id: int, token: str, now: datetime) -> bool:
        """Record that the message was accepted; False if this claim had lost it (lease ran out)."""
        return self._settle(_MARK_SENT, message_id=message_id, token=token, at=now)

    def mark_failed(self, message_id: int, token: str, error: str, retry_at: datetime | None) -> bool:
        """Record a failed attempt: pending again at `retry_at`, or dead when `retry_at` is None."""
        if retry_at is None:
            return self._settle(_MARK_DEAD, message_id=message_id, token=token, error=error)
        return self._settle(_MARK_RETRY, message_id=message_id, token=token, error=error, retry_at=retry_at)

    def _settle(self, statement: sa.Update, **values: object) -> bool:
        result = cast("sa.CursorResult[Any]", self.session.execute(statement, values))
        return result.rowcount == 1

    def append_once(self, values: dict[str, Any]) -> bool:
        """Queue one message unless its dedupe key is queued already (by anyone, even a transaction still
        running); True when this call queued it. Counted by `RETURNING`, right on every database."""
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert(_TABLE) if dialect == "postgresql" else sqlite.insert(_TABLE)
        statement = insert.on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(_TABLE.c.id)
        return self.session.execute(statement, values).first() is not None

    def get(self, message_id: int) -> OutboxMessage | None:
        return self.session.get(OutboxMessage, message_id)

    def listing(self, status: str | None, limit: int) -> Sequence[OutboxMessage]:
        query = select(OutboxMessage)
        if status is not None:
            query = query.where(OutboxMessage.status == status)
        return self.session.exec(query.order_by(col(OutboxMessage.id)).limit(limit)).all()

    def lines(self, status: str | None, limit: int, template: str | None = None) -> list[OutboxLine]:
        """The listing columns of up to `limit` messages oldest first, optionally of one status and template."""
        query = sa.select(*_LINE_COLUMNS)
        if status is not None:
            query = query.where(_TABLE.c.status == status)
        if template is not None:
            query = query.where(_TABLE.c.template == template)
        rows = self.session.execute(query.order_by(_TABLE.c.id).limit(limit)).all()
        return [OutboxLine(*row) for row in rows]

    def existing_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of these dedupe keys are already queued."""
        if not keys:
            return set()
        query = select(OutboxMessage.dedupe_key).where(col(OutboxMessage.dedupe_key).in_(keys))
        return set(self.session.exec(query).all())
