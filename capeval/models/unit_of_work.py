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

from .account_repository import AccountRepository
from .batches import BatchRepository
from .board import BoardRepository
from .certificate_repository import CertificateRepository
from .console_repository import ConsoleRepository
from .cpd_plans import CpdPlanRepository
from .cpd_policies import CpdPolicyChangeRepository
from .database_errors import is_conflict
from .deadlines import DeadlineChangeRepository
from .documents import DocumentRepository
from .governance_repository import GovernanceRepository
from .history_repository import TrailRepository
from .marks import MarkRepository
from .public_register import PublicRegisterRepository
from .references import ReferenceRepository
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
from .sweep_runs import SweepRunRepository
from .verification import VerificationRepository
from .work_experience import WorkExperienceRepository


class UnitOfWork:
    """One transaction over every repository; `commit()` or nothing is written.

    Every repository hangs on it as an attribute; outside `models` nothing touches the session itself.
    A unique key, a stale version or a deadlock, wherever it shows
    (a query's autoflush, a repository's statement, the flush, the commit), leaves the unit of work as the
    one `ConcurrencyConflict`, with nothing written.
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
        self.board = BoardRepository(self.session)
        self.trails = TrailRepository(self.session)
        self.documents = DocumentRepository(self.session)
        self.public_register = PublicRegisterRepository(self.session)
        self.references = ReferenceRepository(self.session)
        self.accounts = AccountRepository(self.session)
        self.console = ConsoleRepository(self.session)
        self.deadline_changes = DeadlineChangeRepository(self.session)
        self.cpd_policy_changes = CpdPolicyChangeRepository(self.session)
        self.verifications = VerificationRepository(self.session)
        self.batches = BatchRepository(self.session)
        self.cpd_plans = CpdPlanRepository(self.session)
        self.sweep_runs = SweepRunRepository(self.session)
        self.work_experience = WorkExperienceRepository(self.session)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.session.close()  # ends the transaction: anything not committed is rolled back
        if error is not None and is_conflict(error):
            raise changed_by_someone_else(Term("subject_record_written")) from None

    def flush(self) -> None:
        """Send pending writes inside the transaction; a stale version becomes the one conflict error."""
        try:
            self.session.flush()
        except StaleDataError:
            self.session.rollback()
            raise changed_by_someone_else(Term("subject_the_record")) from None
        except IntegrityError:
            self.session.rollback()
            raise changed_by_someone_else(Term("subject_record_written")) from None

    def commit(self) -> None:
        """Commit everything or nothing."""
        self.flush()
        self.calendar.forget_fingerprint()
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
