"""The unit of work: the one transaction boundary. Repositories never commit; leaving without commit rolls back."""

from __future__ import annotations

from contextlib import AbstractContextManager
from types import TracebackType

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from capeval.states.engine import changed_by_someone_else
from capeval.states.messages import Term

from .certificate_repository import CertificateRepository
from .cpd_policies import CpdPolicyChangeRepository
from .deadlines import DeadlineChangeRepository
from .governance_repository import GovernanceRepository
from .marks import MarkRepository
from .repositories import (
    ApplicationRepository,
    CalendarRepository,
    DeadlineRepository,
    DirectoryRepository,
    HistoryRepository,
    OutboxRepository,
    RegistryRepository,
)
from .review_repository import ReviewRepository
from .verification import VerificationRepository


class UnitOfWork:
    """One transaction over every repository; `commit()` or nothing is written.

    Every repository hangs on it as an attribute; outside `models` nothing touches the session itself.
    """

    session: Session

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self.applications = ApplicationRepository(self.session)
        self.directory = DirectoryRepository(self.session)
        self.history = HistoryRepository(self.session)
        self.deadlines = DeadlineRepository(self.session)
        self.outbox = OutboxRepository(self.session)
        self.registry = RegistryRepository(self.session)
        self.calendar = CalendarRepository(self.session)
        self.governance = GovernanceRepository(self.session)
        self.certificates = CertificateRepository(self.session)
        self.review = ReviewRepository(self.session)
        self.marks = MarkRepository(self.session)
        self.deadline_changes = DeadlineChangeRepository(self.session)
        self.cpd_policy_changes = CpdPolicyChangeRepository(self.session)
        self.verifications = VerificationRepository(self.session)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.session.close()  # ends the transaction: anything not committed is rolled back

    def flush(self) -> None:
        """Send pending writes inside the transaction; a stale version becomes the one conflict error."""
        try:
            self.session.flush()
        except StaleDataError:
            self.session.rollback()
            raise changed_by_someone_else(Term("subject_the_record")) from None

    def commit(self) -> None:
        """Commit everything or nothing."""
        self.flush()
        try:
            self.session.commit()
        except IntegrityError:
            self.session.rollback()
            raise changed_by_someone_else(Term("subject_record_written")) from None
        except StaleDataError:
            self.session.rollback()
            raise changed_by_someone_else(Term("subject_the_record")) from None

    def rollback(self) -> None:
        self.session.rollback()

    def no_autoflush(self) -> AbstractContextManager[object]:
        """A block in which reads do not flush pending writes first (a handler loads, then writes once)."""
        return self.session.no_autoflush

    def refresh(self, row: object) -> None:
        """Read a row's columns again from the database (after another handler in this transaction moved it)."""
        self.session.refresh(row)
