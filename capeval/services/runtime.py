"""What every handler needs: the database, the clock, the policies, the calendar, the key and where mail goes.

A `Runtime` is built by `capeval.services.bootstrap.bootstrap(settings)`, the one composition root of the
CLI, the flows, the demo, the benchmarks and the web app.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from capeval.models.database import sqlite_file
from capeval.models.document_store import DocumentStore
from capeval.models.local_document_store import LocalDocumentStore
from capeval.models.unit_of_work import UnitOfWork
from capeval.settings import Settings
from capeval.states.calendar import WorkingDayCalendar
from capeval.states.clock import Clock, SystemClock, today_in_shanghai
from capeval.states.governance_policy import GovernancePolicy
from capeval.states.policies import Policies
from capeval.states.policy import PipelinePolicy
from capeval.states.review_policy import ReviewPolicy
from capeval.states.uploads import DocumentPolicy

from . import calendar_store

if TYPE_CHECKING:
    from capeval.notifications.message import MailIdentity
    from capeval.notifications.transport import MailRoute


@dataclass
class Runtime:
    """The wiring of one process: open it once, hand it to every handler."""

    engine: Engine
    clock: Clock = field(default_factory=SystemClock)
    policies: Policies = field(default_factory=Policies)
    settings: Settings = field(default_factory=Settings.load)
    id_key: bytes | None = field(default=None, repr=False)
    """The key of ID-number digests (from the settings, never from the database); None when none is set."""
    store: DocumentStore | None = None
    """Where documents are kept; None: the local folder of the settings (see `documents`)."""

    def __post_init__(self) -> None:
        self.session_factory = sessionmaker(bind=self.engine, class_=Session, expire_on_commit=False)
        self._calendar: WorkingDayCalendar | None = None
        self._calendar_fingerprint: tuple[int, int, int] | None = None

    @property
    def policy(self) -> PipelinePolicy:
        """The rules of the application pipeline (`policies.pipeline`)."""
        return self.policies.pipeline

    @property
    def governance(self) -> GovernancePolicy:
        """The rules of feedback, appeals, authorization and resolutions (`policies.governance`)."""
        return self.policies.governance

    @property
    def review_policy(self) -> ReviewPolicy:
        """The rules of examiner review and interview (`policies.review`)."""
        return self.policies.review

    @property
    def mail_identity(self) -> MailIdentity:
        """Who the emails come from and how they are written, with the numbers of the policies in force."""
        from capeval.notifications.variables import message_rules

        return dataclasses.replace(self.settings.mail_identity(), rules=message_rules(self.policies))

    @property
    def mail_route(self) -> MailRoute:
        """Where mail leaves when a run names no folder of its own."""
        return self.settings.mail_route()

    @property
    def documents(self) -> DocumentStore:
        """The document store: the one given, else the folder `document_folder(settings)` names."""
        if self.store is None:
            self.store = LocalDocumentStore(document_folder(self.settings))
        return self.store

    @property
    def document_policy(self) -> DocumentPolicy:
        """Which files are accepted (types by content, largest size)."""
        return self.settings.document_policy()

    def unit_of_work(self) -> UnitOfWork:
        """A fresh unit of work (use it with `with`)."""
        return UnitOfWork(self.session_factory)

    def today(self) -> date:
        """Today's date in Asia/Shanghai by this runtime's clock."""
        return today_in_shanghai(self.clock)

    def calendar(self, uow: UnitOfWork) -> WorkingDayCalendar:
        """The working-day calendar as stored, rebuilt only when a schedule was added since last time."""
        fingerprint = (*uow.calendar.fingerprint(), self.policy.provisional_years_ahead)
        if self._calendar is None or fingerprint != self._calendar_fingerprint:
            self._calendar = calendar_store.load(uow, years_ahead=self.policy.provisional_years_ahead)
            self._calendar_fingerprint = fingerprint
        return self._calendar


DOCUMENT_FOLDER = "capeval-documents"


def document_folder(settings: Settings) -> Path:
    """`CAPEVAL_DOCUMENT_DIR`, else `capeval-documents/` beside the SQLite file (the working folder otherwise)."""
    if settings.document_dir is not None:
        return settings.document_dir
    database = sqlite_file(settings.database_url)
    return (database.parent if database is not None else Path()) / DOCUMENT_FOLDER
