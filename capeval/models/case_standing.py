"""What a person is on a case, read in one statement: the staff roles, committee seats and examiner places
that make the parties of `services/authority.py`.

The facts are EXISTS columns over the directory and the case's review records; which of them make which
party is the services' rule, and so are the task states in which an examiner counts as assigned (bound
as `task_states`). `standing_columns` builds them against any expressions for the case's id, society and
field, so the case page can put them in its own read of the case.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa

from capeval.states.authority import StaffRole
from capeval.states.governance import Body

from .directory import CommitteeSeat, Examiner, StaffAssignment
from .review import Interview, InterviewPanelist, ReviewTask
from .tables import table_of
from .unit_of_work import UnitOfWork

_STAFF = table_of(StaffAssignment)
_SEAT = table_of(CommitteeSeat)
_EXAMINER = table_of(Examiner)
_TASK = table_of(ReviewTask)
_INTERVIEW = table_of(Interview)
_PANELIST = table_of(InterviewPanelist)
VIEWER_ID = sa.bindparam("viewer_id", type_=sa.Integer)
"""The person whose standing is read."""
TODAY = sa.bindparam("today", type_=sa.Date)
"""The day the committee seats must cover."""
TASK_STATES: sa.BindParameter[list[str]] = sa.bindparam("task_states", expanding=True)
"""The task states in which an examiner counts as assigned to the case."""


class PersonOnCase(NamedTuple):
    """The directory's and the review records' facts about one person and one case, read together."""

    workgroup: bool
    """Workgroup of the case's society."""
    society_administrator: bool
    """Administrator of the case's society."""
    secretariat: bool
    """The federation's secretariat."""
    review_committee: bool
    """A seat on the review committee covering the day."""
    impartiality_committee: bool
    """A seat on the impartiality committee covering the day."""
    assigned_examiner: bool
    """An examiner of the case's society and field with a task of the case in one of `task_states`."""
    interview_panelist: bool
    """An examiner of the case's society and field on the panel of one of the case's interviews."""


def standing_columns(
    case_id: sa.ColumnElement[int], society_id: sa.ColumnElement[int], field_code: sa.ColumnElement[str]
) -> list[sa.ColumnElement[bool]]:
    """The columns of `PersonOnCase`, in its order, for the person `VIEWER_ID` on the case these name."""

    def society_role(role: StaffRole) -> sa.ColumnElement[bool]:
        return sa.exists().where(
            _STAFF.c.person_id == VIEWER_ID, _STAFF.c.role == role.value, _STAFF.c.society_id == society_id
        )

    def seat(body: Body) -> sa.ColumnElement[bool]:
        return sa.exists().where(
            _SEAT.c.person_id == VIEWER_ID,
            _SEAT.c.body == body.value,
            _SEAT.c.starts_on <= TODAY,
            sa.or_(_SEAT.c.ends_on.is_(None), _SEAT.c.ends_on >= TODAY),
        )

    examiner_of_case = sa.and_(
        _EXAMINER.c.person_id == VIEWER_ID, _EXAMINER.c.society_id == society_id, _EXAMINER.c.field_code == field_code
    )
    return [
        society_role(StaffRole.WORKGROUP).label("workgroup"),
        society_role(StaffRole.SOCIETY_ADMINISTRATOR).label("society_administrator"),
        sa.exists()
        .where(
            _STAFF.c.person_id == VIEWER_ID,
            _STAFF.c.role == StaffRole.SECRETARIAT.value,
            _STAFF.c.society_id.is_(None),
        )
        .label("secretariat"),
        seat(Body.REVIEW_COMMITTEE).label("review_committee"),
        seat(Body.IMPARTIALITY_COMMITTEE).label("impartiality_committee"),
        sa.exists()
        .where(
            _TASK.c.application_id == case_id,
            _TASK.c.state.in_(TASK_STATES),
            _EXAMINER.c.id == _TASK.c.examiner_id,
            examiner_of_case,
        )
        .label("assigned_examiner"),
        sa.exists()
        .where(
            _INTERVIEW.c.application_id == case_id,
            _PANELIST.c.interview_id == _INTERVIEW.c.id,
            _EXAMINER.c.id == _PANELIST.c.examiner_id,
            examiner_of_case,
        )
        .label("interview_panelist"),
    ]


_STANDING = sa.select(
    *standing_columns(
        sa.bindparam("case_id", type_=sa.Integer),
        sa.bindparam("society_id", type_=sa.Integer),
        sa.bindparam("field_code", type_=sa.String),
    )
)


def person_on_case(
    uow: UnitOfWork,
    person_id: int,
    case_id: int,
    society_id: int,
    field_code: str,
    today: date,
    task_states: Collection[str],
) -> PersonOnCase:
    """The standing of `person_id` on the case (`case_id` of `society_id` in `field_code`) on `today`."""
    values = {
        "viewer_id": person_id,
        "case_id": case_id,
        "society_id": society_id,
        "field_code": field_code,
        "today": today,
        "task_states": sorted(task_states),
    }
    row = uow.session.connection().execute(_STANDING, values).one()
    return PersonOnCase._make(bool(value) for value in row)
