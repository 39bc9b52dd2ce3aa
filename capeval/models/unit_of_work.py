"""The unit of work: the one transaction boundary. Repositories never commit; leaving without commit rolls back."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from capeval.states.engine import changed_by_someone_else
from capeval.states.messages import Term

from .database_errors import is_conflict

if TYPE_CHECKING:
    from .account_repository import AccountRepository
    from .batches import BatchRepository
    from .board import BoardRepository
    from .certificate_repository import CertificateRepository
    from .console_repository import ConsoleRepository
    from .cpd_plans import CpdPlanRepository
    from .cpd_policies import CpdPolicyChangeRepository
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

Repository = TypeVar("Repository")


class UnitOfWork:
    """One transaction over every repository; `commit()` or nothing is written.

    Every repository hangs on it as an attribute, made (and its module imported) on first use; outside
    `models` nothing touches the session itself.
    A unique key, a stale version or a deadlock, wherever it shows
    (a query's autoflush, a repository's statement, the flush, the commit), leaves the unit of work as the
    one `ConcurrencyConflict`, with nothing written.
    """

    session: Session

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self._repositories: dict[Callable[[Session], Any], Any] = {}
        return self

    def _repository(self, kind: Callable[[Session], Repository]) -> Repository:
        """The one `kind` repository of this unit of work, made on first use (its module imported then)."""
        found = self._repositories.get(kind)
        if found is None:
            found = self._repositories[kind] = kind(self.session)
        return found

    @property
    def applications(self) -> ApplicationRepository:
        from .repositories import ApplicationRepository

        return self._repository(ApplicationRepository)

    @property
    def directory(self) -> DirectoryRepository:
        from .repositories import DirectoryRepository

        return self._repository(DirectoryRepository)

    @property
    def history(self) -> HistoryRepository:
        from .repositories import HistoryRepository

        return self._repository(HistoryRepository)

    @property
    def deadlines(self) -> DeadlineRepository:
        from .repositories import DeadlineRepository

        return self._repository(DeadlineRepository)

    @property
    def outbox(self) -> OutboxRepository:
        from .repositories import OutboxRepository

        return self._repository(OutboxRepository)

    @property
    def registry(self) -> RegistryRepository:
        from .repositories import RegistryRepository

        return self._repository(RegistryRepository)

    @property
    def calendar(self) -> CalendarRepository:
        from .repositories import CalendarRepository

        return self._repository(CalendarRepository)

    @property
    def governance(self) -> GovernanceRepository:
        from .governance_repository import GovernanceRepository

        return self._repository(GovernanceRepository)

    @property
    def certificates(self) -> CertificateRepository:
        from .certificate_repository import CertificateRepository

        return self._repository(CertificateRepository)

    @property
    def review(self) -> ReviewRepository:
        from .review_repository import ReviewRepository

        return self._repository(ReviewRepository)

    @property
    def marks(self) -> MarkRepository:
        from .marks import MarkRepository

        return self._repository(MarkRepository)

    @property
    def board(self) -> BoardRepository:
        from .board import BoardRepository

        return self._repository(BoardRepository)

    @property
    def trails(self) -> TrailRepository:
        from .history_repository import TrailRepository

        return self._repository(TrailRepository)

    @property
    def documents(self) -> DocumentRepository:
        from .documents import DocumentRepository

        return self._repository(DocumentRepository)

    @property
    def public_register(self) -> PublicRegisterRepository:
        from .public_register import PublicRegisterRepository

        return self._repository(PublicRegisterRepository)

    @property
    def references(self) -> ReferenceRepository:
        from .references import ReferenceRepository

        return self._repository(ReferenceRepository)

    @property
    def accounts(self) -> AccountRepository:
        from .account_repository import AccountRepository

        return self._repository(AccountRepository)

    @property
    def console(self) -> ConsoleRepository:
        from .console_repository import ConsoleRepository

        return self._repository(ConsoleRepository)

    @property
    def deadline_changes(self) -> DeadlineChangeRepository:
        from .deadlines import DeadlineChangeRepository

        return self._repository(DeadlineChangeRepository)

    @property
    def cpd_policy_changes(self) -> CpdPolicyChangeRepository:
        from .cpd_policies import CpdPolicyChangeRepository

        return self._repository(CpdPolicyChangeRepository)

    @property
    def verifications(self) -> VerificationRepository:
        from .verification import VerificationRepository

        return self._repository(VerificationRepository)

    @property
    def batches(self) -> BatchRepository:
        from .batches import BatchRepository

        return self._repository(BatchRepository)

    @property
    def cpd_plans(self) -> CpdPlanRepository:
        from .cpd_plans import CpdPlanRepository

        return self._repository(CpdPlanRepository)

    @property
    def sweep_runs(self) -> SweepRunRepository:
        from .sweep_runs import SweepRunRepository

        return self._repository(SweepRunRepository)

    @property
    def work_experience(self) -> WorkExperienceRepository:
        from .work_experience import WorkExperienceRepository

        return self._repository(WorkExperienceRepository)

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
