"""The repository of governance cases and resolutions. It never commits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TypeAlias, cast

import sqlalchemy as sa
from sqlmodel import Session, col, func, or_, select

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
from .registry import Certificate, CertificateHistory
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

    def provisional_deadlines(self) -> Sequence[GovernanceDeadline]:
        """Every open step deadline still resting on an estimated schedule."""
        query = select(GovernanceDeadline).where(
            GovernanceDeadline.status == "open", GovernanceDeadline.provisional == sa.true()
        )
        return self.session.exec(query.order_by(col(GovernanceDeadline.id))).all()

    def open_deadlines(self, kind: str, case_id: int) -> Sequence[GovernanceDeadline]:
        query = select(GovernanceDeadline).where(
            GovernanceDeadline.case_kind == kind,
            GovernanceDeadline.case_id == case_id,
            GovernanceDeadline.status == "open",
        )
        return self.session.exec(query).all()

    def overdue(
        self, today: date, limit: int, after_id: int = 0, ids: tuple[int, int] | None = None
    ) -> Sequence[GovernanceDeadline]:
        """Open step deadlines that passed before today, by id, `limit` at a time (the (status, due_on) index);
        `ids` (low, high, both included) keeps one key range of them."""
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
        if ids is not None:
            query = query.where(col(GovernanceDeadline.id) >= ids[0], col(GovernanceDeadline.id) <= ids[1])
        return self.session.exec(query).all()

    def overdue_bounds(self, today: date) -> tuple[int, int] | None:
        """The lowest and highest id of the open step deadlines that passed before today; None if none."""
        query = select(func.min(GovernanceDeadline.id), func.max(GovernanceDeadline.id)).where(
            GovernanceDeadline.status == "open", col(GovernanceDeadline.due_on) < today
        )
        low, high = self.session.exec(query).one()
        return None if low is None or high is None else (int(low), int(high))

    def deadline(self, deadline_id: int) -> GovernanceDeadline | None:
        return self.session.get(GovernanceDeadline, deadline_id)

    def participants_of_application(self, application_id: int, *, besides: tuple[str, int] | None = None) -> set[int]:
        """The ids of everyone who acted on an evaluation case, reviewed it or sat on its interview panel, and
        of everyone who acted on or was appointed to an appeal or feedback about it (`besides` one of those)."""
        lines = select(StageHistory.actor_id, StageHistory.actor).where(StageHistory.application_id == application_id)
        found = self.people_behind(self.session.exec(lines.distinct()).all())
        found |= self._examiners_of_application(application_id)
        for kind, table in (("appeal", Appeal), ("feedback", Feedback)):
            ids = select(table.id).where(table.application_id == application_id)
            if besides is not None and besides[0] == kind:
                ids = ids.where(col(table.id) != besides[1])
            acted = select(GovernanceHistory.actor_id, GovernanceHistory.actor).where(
                GovernanceHistory.case_kind == kind, col(GovernanceHistory.case_id).in_(ids)
            )
            found |= self.people_behind(self.session.exec(acted.distinct()).all())
            appointed = select(GovernanceAppointment.person_id, GovernanceAppointment.person_name).where(
                GovernanceAppointment.case_kind == kind, col(GovernanceAppointment.case_id).in_(ids)
            )
            found |= self.people_behind(self.session.exec(appointed.distinct()).all())
        return found

    def participants_of_certificate(self, certificate_id: int) -> set[int]:
        """The ids of everyone recorded as changing a certificate: who issued, suspended, revoked, refused it."""
        lines = select(CertificateHistory.actor_id, CertificateHistory.actor).where(
            CertificateHistory.certificate_id == certificate_id
        )
        return self.people_behind(self.session.exec(lines.distinct()).all())

    def people_behind(self, lines: Iterable[tuple[int | None, str]]) -> set[int]:
        """The persons recorded lines name: by their person id, or, for a line written without one, every
        person the recorded text names by username or name."""
        found = {person_id for person_id, _ in lines if person_id is not None}
        texts = {text for person_id, text in lines if person_id is None and text}
        if texts:
            named = select(Person.id).where(or_(col(Person.username).in_(texts), col(Person.name).in_(texts)))
            found |= {person_id for person_id in self.session.exec(named).all() if person_id is not None}
        return found

    def _examiners_of_application(self, application_id: int) -> set[int]:
        """Examiners who reviewed the case (not those who declined or never answered) and its interview panels."""
        reviewers = (
            select(Examiner.person_id)
            .join(ReviewTask, col(ReviewTask.examiner_id) == col(Examiner.id))
            .where(
                ReviewTask.application_id == application_id,
                col(ReviewTask.state).notin_(("invited", "declined", "expired")),
            )
        )
        panelists = (
            select(Examiner.person_id)
            .join(InterviewPanelist, col(InterviewPanelist.examiner_id) == col(Examiner.id))
            .join(Interview, col(Interview.id) == col(InterviewPanelist.interview_id))
            .where(Interview.application_id == application_id)
        )
        return set(self.session.exec(reviewers).all()) | set(self.session.exec(panelists).all())

    def appointed(self, kind: str, case_id: int, person_id: int) -> bool:
        """Whether the person was appointed to the case (an investigator of feedback, a member of a panel)."""
        query = select(GovernanceAppointment.id).where(
            GovernanceAppointment.case_kind == kind,
            GovernanceAppointment.case_id == case_id,
            GovernanceAppointment.person_id == person_id,
        )
        return self.session.exec(query).first() is not None

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
