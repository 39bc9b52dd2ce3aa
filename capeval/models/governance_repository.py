"""The repository of governance cases and resolutions. It never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TypeAlias, cast

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from .cases import Application, StageHistory
from .directory import Examiner, Person
from .governance import (
    Appeal,
    AuthorizationApplication,
    Feedback,
    GovernanceAppointment,
    GovernanceDeadline,
    GovernanceHistory,
    Resolution,
    ResolutionSubject,
)
from .registry import Certificate
from .review import Interview, InterviewPanelist, ReviewTask
from .tables import table_of

CaseRow: TypeAlias = Feedback | Appeal | AuthorizationApplication
CASE_TABLES: dict[str, type[CaseRow]] = {
    "feedback": Feedback,
    "appeal": Appeal,
    "authorization": AuthorizationApplication,
}


class GovernanceRepository:
    """Feedback, appeals, authorization applications, their history, deadlines and appointments; resolutions."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: object) -> None:
        self.session.add(row)

    def case(self, kind: str, case_id: int) -> CaseRow | None:
        return cast("CaseRow | None", self.session.get(CASE_TABLES[kind], case_id))

    def by_reference(self, kind: str, reference: str) -> CaseRow | None:
        table = CASE_TABLES[kind]
        query = select(table).where(table.reference == reference)
        return cast("CaseRow | None", self.session.exec(query).first())

    def next_number(self, kind: str, year: int) -> int:
        """The next running number of `kind` references in `year` (a clash on the unique reference is retried)."""
        table = Resolution if kind == "resolution" else CASE_TABLES[kind]
        prefix = f"%-{year}-%"
        query = select(func.count()).select_from(table).where(col(table.reference).like(prefix))
        return int(self.session.exec(query).one()) + 1

    def append_history(self, values: dict[str, object]) -> None:
        self.session.execute(sa.insert(table_of(GovernanceHistory)), [values])

    def history(self, kind: str, case_id: int) -> Sequence[GovernanceHistory]:
        query = select(GovernanceHistory).where(
            GovernanceHistory.case_kind == kind, GovernanceHistory.case_id == case_id
        )
        return self.session.exec(query.order_by(col(GovernanceHistory.id))).all()

    def appointments(self, kind: str, case_id: int) -> Sequence[GovernanceAppointment]:
        query = select(GovernanceAppointment).where(
            GovernanceAppointment.case_kind == kind, GovernanceAppointment.case_id == case_id
        )
        return self.session.exec(query.order_by(col(GovernanceAppointment.id))).all()

    def open_deadlines(self, kind: str, case_id: int) -> Sequence[GovernanceDeadline]:
        query = select(GovernanceDeadline).where(
            GovernanceDeadline.case_kind == kind,
            GovernanceDeadline.case_id == case_id,
            GovernanceDeadline.status == "open",
        )
        return self.session.exec(query).all()

    def overdue(self, today: date, limit: int, after_id: int = 0) -> Sequence[GovernanceDeadline]:
        """Open step deadlines that passed before today, by id, `limit` at a time (the (status, due_on) index)."""
        query = (
            select(GovernanceDeadline)
            .where(
                GovernanceDeadline.status == "open",
                col(GovernanceDeadline.due_on) < today,
                col(GovernanceDeadline.id) > after_id,
            )
            .order_by(col(GovernanceDeadline.id))
            .limit(limit)
        )
        return self.session.exec(query).all()

    def deadline(self, deadline_id: int) -> GovernanceDeadline | None:
        return self.session.get(GovernanceDeadline, deadline_id)

    def participants_of_application(self, application_id: int) -> set[str]:
        """Everyone recorded as acting on an evaluation case, and on earlier appeals and feedback about it."""
        actors = set(
            self.session.exec(
                select(StageHistory.actor).where(StageHistory.application_id == application_id).distinct()
            ).all()
        )
        actors |= self._examiners_of_application(application_id)
        for kind, table in (("appeal", Appeal), ("feedback", Feedback)):
            ids = select(table.id).where(table.application_id == application_id)
            actors |= set(
                self.session.exec(
                    select(GovernanceHistory.actor).where(
                        GovernanceHistory.case_kind == kind, col(GovernanceHistory.case_id).in_(ids)
                    )
                ).all()
            )
            actors |= set(
                self.session.exec(
                    select(GovernanceAppointment.person_name).where(
                        GovernanceAppointment.case_kind == kind, col(GovernanceAppointment.case_id).in_(ids)
                    )
                ).all()
            )
        return actors

    def _examiners_of_application(self, application_id: int) -> set[str]:
        """Examiners who reviewed the case (not those who declined or never answered) and its interview panels."""
        reviewers = (
            select(Person.name)
            .join(Examiner, col(Examiner.person_id) == col(Person.id))
            .join(ReviewTask, col(ReviewTask.examiner_id) == col(Examiner.id))
            .where(
                ReviewTask.application_id == application_id,
                col(ReviewTask.state).notin_(("invited", "declined", "expired")),
            )
        )
        panelists = (
            select(Person.name)
            .join(Examiner, col(Examiner.person_id) == col(Person.id))
            .join(InterviewPanelist, col(InterviewPanelist.examiner_id) == col(Examiner.id))
            .join(Interview, col(Interview.id) == col(InterviewPanelist.interview_id))
            .where(Interview.application_id == application_id)
        )
        return set(self.session.exec(reviewers).all()) | set(self.session.exec(panelists).all())

    def upheld_appeal_awaiting_reopening(self, application_id: int) -> Appeal | None:
        query = select(Appeal).where(
            Appeal.application_id == application_id, Appeal.stage == "upheld", col(Appeal.reopened_at).is_(None)
        )
        return self.session.exec(query).first()

    def open_appeal_for(self, application_id: int | None, registration_number: str | None) -> Appeal | None:
        query = select(Appeal).where(col(Appeal.stage).in_(("lodged", "under_review")))
        if application_id is not None:
            query = query.where(Appeal.application_id == application_id)
        else:
            query = query.where(Appeal.registration_number == registration_number)
        return self.session.exec(query).first()

    def open_authorization(self, society_id: int, field_code: str) -> AuthorizationApplication | None:
        query = select(AuthorizationApplication).where(
            AuthorizationApplication.society_id == society_id,
            AuthorizationApplication.field_code == field_code,
            col(AuthorizationApplication.stage).in_(("first_review", "committee_review", "presidium_review")),
        )
        return self.session.exec(query).first()

    def resolution(self, reference: str) -> Resolution | None:
        return self.session.exec(select(Resolution).where(Resolution.reference == reference)).first()

    def resolution_by_id(self, resolution_id: int) -> Resolution | None:
        return self.session.get(Resolution, resolution_id)

    def subjects(self, resolution_id: int) -> Sequence[ResolutionSubject]:
        query = select(ResolutionSubject).where(ResolutionSubject.resolution_id == resolution_id)
        return self.session.exec(query.order_by(col(ResolutionSubject.id))).all()

    def resolutions_about(self, kind: str, ref: str) -> Sequence[Resolution]:
        query = (
            select(Resolution)
            .join(ResolutionSubject, col(ResolutionSubject.resolution_id) == col(Resolution.id))
            .where(ResolutionSubject.kind == kind, ResolutionSubject.ref == ref)
            .order_by(col(Resolution.id))
        )
        return self.session.exec(query).all()

    def certificate(self, registration_number: str) -> Certificate | None:
        query = select(Certificate).where(Certificate.registration_number == registration_number)
        return self.session.exec(query).first()

    def open_cases_of(self, society_id: int, field_code: str, open_stages: Sequence[str]) -> Sequence[Application]:
        query = select(Application).where(
            Application.society_id == society_id,
            Application.field_code == field_code,
            col(Application.stage).in_(open_stages),
        )
        return self.session.exec(query.order_by(col(Application.id))).all()
