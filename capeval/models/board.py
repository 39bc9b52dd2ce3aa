"""The case board as one statement: only the columns shown, a page at a time in case-id order (keyset).

A page costs the same however many cases there are: the page's case ids come off the primary key (or the
(society, stage) index) in id order after the cursor and stop at the page size; only then are the shown
cases joined to their applicant, society and reference and their open deadline looked up through its index, with
whether it is provisional (暂定), so a plan that sorts the filtered ids never evaluates those for every
case. No statement binds a parameter per case. The counts by stage read `stage_count`, a line per
(society, field, stage) the database keeps (migration 0020), unless a due-date filter needs the cases:
then the matching cases' ids come off the deadline index (status, due date, case; migration 0021) alone,
and at most a cap of them (plus one, to tell that there are more) are counted, so such a count costs the cap,
not the number of matching cases.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache
from typing import Any, NamedTuple, cast

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel

from .cases import Application, Deadline, StageHistory
from .directory import EngineeringField, Person, Society
from .references import CaseReference
from .tables import table_of


class StageCount(SQLModel, table=True):
    """How many cases a society has in one field and stage: kept by the database's own triggers on
    `application` (migration 0020) in the transaction that adds, removes or moves a case, never written by
    capeval, so the board's counts read a handful of lines instead of every case."""

    __tablename__ = "stage_count"

    society_id: int = Field(primary_key=True)
    field_code: str = Field(primary_key=True, max_length=40)
    stage: str = Field(primary_key=True, max_length=40)
    cases: int


_APPLICATION = table_of(Application)
_STAGE_COUNT = table_of(StageCount)
_REFERENCE = table_of(CaseReference)
_PERSON = table_of(Person)
_SOCIETY = table_of(Society)
_DEADLINE = table_of(Deadline)
_HISTORY = table_of(StageHistory)
_FIELD = table_of(EngineeringField)

_DUE_ON = (
    sa.select(sa.func.min(_DEADLINE.c.due_on))
    .where(_DEADLINE.c.application_id == _APPLICATION.c.id, _DEADLINE.c.status == "open")
    .scalar_subquery()
    .label("due_on")
)
_PROVISIONAL = sa.func.coalesce(
    sa.select(sa.true())
    .where(
        _DEADLINE.c.application_id == _APPLICATION.c.id,
        _DEADLINE.c.status == "open",
        _DEADLINE.c.provisional.is_(True),
    )
    .limit(sa.literal_column("1", sa.Integer))
    .scalar_subquery(),
    sa.false(),
).label("provisional")
"""Whether an open deadline of the case is provisional: a first match looked up through the case's
deadlines, never EXISTS, which PostgreSQL may turn into one hashed scan of every open deadline per page."""
_ENTERED_AT = (
    sa.select(sa.func.max(_HISTORY.c.at))
    .where(_HISTORY.c.application_id == _APPLICATION.c.id)
    .scalar_subquery()
    .label("entered_at")
)
_FIELD_CODES = sa.select(_FIELD.c.code).order_by(_FIELD.c.code)
_EVERY = 2**63 - 1
"""The bound of a count without a cap: the largest LIMIT both databases take."""


class BoardLine(NamedTuple):
    """One case as the board shows it."""

    case_id: int
    applicant: str
    society: str
    field: str
    level: str
    route: str
    stage: str
    due_on: date | None
    version: int
    provisional: bool
    reference: str | None
    """The case's reference (DES-2026-0004), None for a case that has none."""


class EnteredBoardLine(NamedTuple):
    """A case as the board shows it, with when it entered its stage (its newest history line; None when it
    has none)."""

    case_id: int
    applicant: str
    society: str
    field: str
    level: str
    route: str
    stage: str
    due_on: date | None
    version: int
    provisional: bool
    reference: str | None
    entered_at: datetime | None


def _open_due_before(parameter: str, inclusive: bool) -> Any:
    """The case has an open deadline on or before (strictly before) the bound date: its earliest open due
    date is within the bound exactly when one of its open deadlines is."""
    bound = sa.bindparam(parameter, type_=sa.Date)
    due = _DEADLINE.c.due_on <= bound if inclusive else _DEADLINE.c.due_on < bound
    return sa.exists().where(_DEADLINE.c.application_id == _APPLICATION.c.id, _DEADLINE.c.status == "open", due)


class StageCounts(NamedTuple):
    """How many cases of the board's filters are in each stage (stages with none left out)."""

    by_stage: dict[str, int]
    capped: bool = False
    """Counting stopped after more cases than the cap: each count is then a lower bound (at least that
    many), and there are more than the cap in all."""

    @property
    def total(self) -> int:
        """The cases counted in all (more than the cap when `capped`)."""
        return sum(self.by_stage.values())


class BoardFilters(NamedTuple):
    """What the board is narrowed to; None or empty means no narrowing."""

    society_ids: tuple[int, ...] = ()
    stages: tuple[str, ...] = ()
    field: str | None = None
    due_by: date | None = None
    """Only cases whose earliest open deadline falls on or before this date."""
    overdue_before: date | None = None
    """Only cases whose earliest open deadline falls strictly before this date."""

    def values(self) -> dict[str, Any]:
        """The bound values of the statement of this shape."""
        return {
            "society_ids": list(self.society_ids),
            "stages": list(self.stages),
            "field": self.field,
            "due_by": self.due_by,
            "overdue_before": self.overdue_before,
        }


@lru_cache(maxsize=256)
def _statement(
    society: bool,
    stages: bool,
    field: bool,
    due_by: bool,
    overdue: bool,
    after: bool,
    limit: int = 0,
    entered: bool = False,
) -> Any:
    """The page statement of one filter shape and page size, built once: values are bound at
    execution. The page size is written into the statement (one per size asked for, a handful) rather than
    rendered into it again on every execution; `entered` adds when each case entered its stage."""
    where: list[Any] = []
    if society:
        where.append(_APPLICATION.c.society_id.in_(sa.bindparam("society_ids", expanding=True)))
    if stages:
        where.append(_APPLICATION.c.stage.in_(sa.bindparam("stages", expanding=True)))
    if field:
        where.append(_APPLICATION.c.field_code == sa.bindparam("field"))
    if due_by:
        where.append(_open_due_before("due_by", inclusive=True))
    if overdue:
        where.append(_open_due_before("overdue_before", inclusive=False))
    if after:
        where.append(_APPLICATION.c.id > sa.bindparam("after"))
    page = (
        sa.select(_APPLICATION.c.id.label("case_id"))
        .where(*where)
        .order_by(_APPLICATION.c.id)
        .limit(sa.literal_column(str(int(limit)), sa.Integer))
        .subquery("page")
    )
    return (
        sa.select(
            _APPLICATION.c.id.label("case_id"),
            _PERSON.c.name.label("applicant"),
            _SOCIETY.c.code.label("society"),
            _APPLICATION.c.field_code.label("field"),
            _APPLICATION.c.level,
            _APPLICATION.c.route,
            _APPLICATION.c.stage,
            _DUE_ON,
            _APPLICATION.c.version,
            _PROVISIONAL,
            _REFERENCE.c.reference,
            *([_ENTERED_AT] if entered else []),
        )
        .select_from(page)
        .join(_APPLICATION, _APPLICATION.c.id == page.c.case_id)
        .join(_PERSON, _PERSON.c.id == _APPLICATION.c.person_id)
        .join(_SOCIETY, _SOCIETY.c.id == _APPLICATION.c.society_id)
        .outerjoin(_REFERENCE, _REFERENCE.c.application_id == _APPLICATION.c.id)
        .order_by(_APPLICATION.c.id)
    )


@lru_cache(maxsize=32)
def _counted(society: bool, stages: bool, field: bool, due_by: bool, overdue: bool, joined: bool) -> Any:
    """The counts by stage of a due-date filter, counted from the cases: the cases with an open deadline
    within the bounds come off the deadline index (status, due date, case) alone, and only those are looked
    up by id, instead of a probe of every case's deadlines; the lookups stop after `counted_at_most` cases
    (the cap plus one), whichever they are. `joined` (SQLite's form) walks the deadline index and joins each
    case, once however many of its deadlines match (DISTINCT), so the walk stops at the cap; otherwise the
    cases are a semi join of the ids (PostgreSQL merges the two id-ordered indexes and stops there; SQLite
    would first list every matching deadline). A case matching both bounds has one open deadline within
    both, its earliest."""
    where: list[Any] = []
    if society:
        where.append(_APPLICATION.c.society_id.in_(sa.bindparam("society_ids", expanding=True)))
    if stages:
        where.append(_APPLICATION.c.stage.in_(sa.bindparam("stages", expanding=True)))
    if field:
        where.append(_APPLICATION.c.field_code == sa.bindparam("field"))
    due: list[Any] = [_DEADLINE.c.status == "open"]
    if due_by:
        due.append(_DEADLINE.c.due_on <= sa.bindparam("due_by", type_=sa.Date))
    if overdue:
        due.append(_DEADLINE.c.due_on < sa.bindparam("overdue_before", type_=sa.Date))
    if joined:
        cases = (
            sa.select(_APPLICATION.c.id, _APPLICATION.c.stage)
            .distinct()
            .select_from(_DEADLINE)
            .join(_APPLICATION, _APPLICATION.c.id == _DEADLINE.c.application_id)
            .where(*due, *where)
        )
    else:
        in_bounds = _APPLICATION.c.id.in_(sa.select(_DEADLINE.c.application_id).where(*due))
        cases = sa.select(_APPLICATION.c.stage).where(*where, in_bounds)
    matching = cases.limit(sa.bindparam("counted_at_most", type_=sa.Integer)).subquery("matching")
    return sa.select(matching.c.stage, sa.func.count()).group_by(matching.c.stage)


@lru_cache(maxsize=16)
def _kept_counts(society: bool, stages: bool, field: bool) -> Any:
    """The counts by stage of one filter shape from `stage_count`."""
    where: list[Any] = []
    if society:
        where.append(_STAGE_COUNT.c.society_id.in_(sa.bindparam("society_ids", expanding=True)))
    if stages:
        where.append(_STAGE_COUNT.c.stage.in_(sa.bindparam("stages", expanding=True)))
    if field:
        where.append(_STAGE_COUNT.c.field_code == sa.bindparam("field"))
    total = sa.func.sum(_STAGE_COUNT.c.cases)
    return sa.select(_STAGE_COUNT.c.stage, total).where(*where).group_by(_STAGE_COUNT.c.stage)


def _shape(filters: BoardFilters) -> tuple[bool, bool, bool, bool, bool]:
    return (
        bool(filters.society_ids),
        bool(filters.stages),
        filters.field is not None,
        filters.due_by is not None,
        filters.overdue_before is not None,
    )


_SOCIETY_IDS = sa.select(_SOCIETY.c.code, _SOCIETY.c.id).where(
    _SOCIETY.c.code.in_(sa.bindparam("codes", expanding=True))
)


class BoardRepository:
    """Pages of the case board and its counts by stage, on a unit of work's session or, for a read on its
    own (`reading`), on one connection without an ORM session."""

    def __init__(self, session: Session | sa.Connection) -> None:
        self.session = session

    def _connection(self) -> sa.Connection:
        return self.session if isinstance(self.session, sa.Connection) else self.session.connection()

    def society_ids(self, codes: Sequence[str]) -> dict[str, int]:
        """The id of each society code that exists."""
        if not codes:
            return {}
        return {code: int(id_) for code, id_ in self._connection().execute(_SOCIETY_IDS, {"codes": list(codes)})}

    def page(self, filters: BoardFilters, after: int | None, limit: int) -> list[BoardLine]:
        """Up to `limit` cases of the filters with an id above `after`, in id order."""
        query = _statement(*_shape(filters), after is not None, limit)
        values = {**filters.values(), "after": after}
        rows = self._connection().execute(query, values).all()
        return cast(list[BoardLine], rows)  # rows already unpack and read by name like BoardLine: no copy

    def entered_page(self, filters: BoardFilters, after: int | None, limit: int) -> list[EnteredBoardLine]:
        """As `page`, each case with when it entered its stage, in the same statement."""
        query = _statement(*_shape(filters), after is not None, limit, True)
        values = {**filters.values(), "after": after}
        rows = self._connection().execute(query, values).all()
        return cast(list[EnteredBoardLine], rows)

    def field_codes(self) -> list[str]:
        """The codes of the engineering fields, for the board's filter."""
        return list(self._connection().execute(_FIELD_CODES).scalars())

    def counts(self, filters: BoardFilters, cap: int | None = None) -> StageCounts:
        """How many cases of the same filters are in each stage: exact from the kept counts when the filters
        are society, stage and field only; counted from the cases otherwise, up to `cap` cases in all
        (None: every one), so when more match, `capped` is set and the counts are those of the first
        `cap` + 1 cases found."""
        society, stages, field, due_by, overdue = _shape(filters)
        if not (due_by or overdue):
            kept = self._connection().execute(_kept_counts(society, stages, field), filters.values()).all()
            return StageCounts({stage: int(count) for stage, count in kept if count})
        if cap is not None and cap < 1:
            raise ValueError(f"a count's cap is at least 1, not {cap}")
        connection = self._connection()
        query = _counted(society, stages, field, due_by, overdue, connection.dialect.name == "sqlite")
        values = {**filters.values(), "counted_at_most": _EVERY if cap is None else cap + 1}
        found = {stage: int(count) for stage, count in connection.execute(query, values).all() if count}
        return StageCounts(found, cap is not None and sum(found.values()) > cap)


@contextmanager
def reading(engine: sa.Engine) -> Iterator[BoardRepository]:
    """The board on one connection of `engine`, its read transaction ended (rolled back) on leaving: a page
    costs its statement, not an ORM session's setup."""
    with engine.connect() as connection:
        yield BoardRepository(connection)
