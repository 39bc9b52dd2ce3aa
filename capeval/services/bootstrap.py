"""The composition root: settings in, a `Runtime` out, and the database commands that make one possible.

`bootstrap(settings)` is what the CLI, every flow, the demo, the benchmarks and the web app call. It reads
the policy file (the only place that does), opens the database, and refuses one that does not exist or
is not at the current schema: nothing is created or migrated by accident. `init_database` makes a new
database and `upgrade_database` migrates an existing one; both store the bundled calendar years and
engineering fields the database does not have yet.

The clock may be set (`Settings.now`) only on a database marked as a simulation (`db init --simulation`,
the demo, the tests); everywhere else it is the real one. The key of ID-number digests comes from the
settings and travels on the runtime; the database never holds it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from capeval.models import EngineeringField
from capeval.models.database import (
    DEFAULT_TIMEOUTS,
    DatabaseTimeouts,
    make_engine,
    shown_url,
    sqlite_file,
)
from capeval.models.database_errors import database_failure
from capeval.models.marks import SIMULATION, read_mark
from capeval.models.migrate import SchemaStatus, digests_to_key, head_revision, schema_status, upgrade
from capeval.models.unit_of_work import UnitOfWork
from capeval.settings import Settings
from capeval.states.clock import Clock
from capeval.states.errors import CapevalError, InputError
from capeval.states.fields import bundled_fields
from capeval.states.policies import Policies

from . import calendar_store
from .policy_file import load_policies
from .runtime import Runtime


@dataclass(frozen=True)
class DatabaseState:
    """What `db status` reports: whether the database exists, its revision and the newest one."""

    url: str
    exists: bool
    current: str | None
    head: str
    simulation: bool = False

    @property
    def up_to_date(self) -> bool:
        return self.exists and self.current == self.head


def bootstrap(settings: Settings, *, clock: Clock | None = None, policies: Policies | None = None) -> Runtime:
    """The runtime of `settings`: its policies, clock, key and mail, on a database at the current schema.

    A `clock` given here (the demo, the tests) wins over the settings; a clock set in the settings is
    refused unless the database is marked as a simulation.
    """
    policies = policies or load_policies(settings.policy_file)
    id_key = settings.identity_key()
    engine = _open(settings.database_url, timeouts_of(settings))
    status = _status(engine, settings.database_url, timeouts_of(settings))
    if status.empty:
        engine.dispose()
        raise InputError("database_missing", url=shown_url(settings.database_url))
    if not status.up_to_date:
        engine.dispose()
        current = status.current or "none"
        raise InputError("database_outdated", url=shown_url(settings.database_url), current=current, head=status.head)
    if clock is None:
        _refuse_a_set_clock(engine, settings)
    return Runtime(engine, clock or settings.clock(), policies, settings, id_key)


@contextmanager
def opened(settings: Settings) -> Iterator[Runtime]:
    """`bootstrap(settings)` for one `with` block (a flow run); the engine is disposed at the end."""
    runtime = bootstrap(settings)
    try:
        yield runtime
    finally:
        runtime.engine.dispose()


def database_status(settings: Settings) -> DatabaseState:
    """Whether the database of `settings` exists and which schema it is at; creates nothing."""
    url = settings.database_url
    file = sqlite_file(url)
    if file is not None and not file.is_file():
        return DatabaseState(shown_url(url), False, None, head_revision())
    engine = _open(url, timeouts_of(settings))
    try:
        status = _status(engine, url, timeouts_of(settings))
        simulation = not status.empty and read_mark(engine, SIMULATION) is not None
    finally:
        engine.dispose()
    return DatabaseState(shown_url(url), not status.empty, status.current, status.head, simulation)


def init_database(settings: Settings, *, clock: Clock | None = None, simulation: bool = False) -> DatabaseState:
    """Create a new database at the newest schema, with the bundled calendar years and fields.

    A SQLite file's folder is made when missing; a PostgreSQL database must exist, without capeval tables.
    A `simulation` is marked so: its clock may be set. A clock set in the settings needs one.
    """
    url = settings.database_url
    if clock is None and settings.now is not None and not simulation:
        raise InputError("clock_init_not_simulation", url=shown_url(url))
    id_key = settings.identity_key()
    file = sqlite_file(url)
    timeouts = timeouts_of(settings)
    engine = (
        make_engine(url, create=True, timeouts=timeouts) if file is None or not file.exists() else _open(url, timeouts)
    )
    try:
        status = _status(engine, url, timeouts_of(settings))
        if not status.empty:
            raise InputError("database_exists", url=shown_url(url), current=status.current or "none")
        upgrade(engine, id_key=id_key)
        _store_bundled(engine, settings, clock, simulation=simulation)
        return DatabaseState(shown_url(url), True, *_revisions(engine, url), simulation)
    finally:
        engine.dispose()


def upgrade_database(settings: Settings, *, clock: Clock | None = None) -> tuple[str | None, DatabaseState]:
    """Migrate an existing database to the newest schema; returns the revision it was at and where it is now.

    Stored ID-number digests are keyed with the settings' key; without one, a database that holds any is
    refused before anything runs.
    """
    url = settings.database_url
    id_key = settings.identity_key()
    engine = _open(url, timeouts_of(settings))
    try:
        status = _status(engine, url, timeouts_of(settings))
        if status.empty:
            raise InputError("database_missing", url=shown_url(url))
        if clock is None:
            _refuse_a_set_clock(engine, settings)
        held = digests_to_key(engine)
        if held and id_key is None:
            raise InputError("id_key_missing_for_upgrade", url=shown_url(url), rows=held)
        upgrade(engine, id_key=id_key)
        _store_bundled(engine, settings, clock)
        simulation = read_mark(engine, SIMULATION) is not None
        return status.current, DatabaseState(shown_url(url), True, *_revisions(engine, url), simulation)
    finally:
        engine.dispose()


def init_runtime(
    settings: Settings, *, clock: Clock | None = None, policies: Policies | None = None, simulation: bool = True
) -> Runtime:
    """Initialise the new database of `settings` and return its runtime (the demo, benchmarks and tests).

    The database is a simulation unless `simulation` is False: these runs set their clocks.
    """
    init_database(settings, clock=clock, simulation=simulation)
    return bootstrap(settings, clock=clock, policies=policies)


def store_bundled_fields(uow: UnitOfWork) -> int:
    """Store the bundled engineering fields the database does not have yet; returns how many were added."""
    known = {row.code for row in uow.directory.fields()}
    missing = [spec for spec in bundled_fields() if spec.code not in known]
    for spec in missing:
        uow.directory.add(EngineeringField(code=spec.code, name_zh=spec.name_zh, name_en=spec.name_en))
    return len(missing)


def _store_bundled(engine: Engine, settings: Settings, clock: Clock | None, *, simulation: bool = False) -> None:
    runtime = Runtime(engine, clock or settings.clock(), Policies(), settings)
    with runtime.unit_of_work() as uow:
        added = calendar_store.store_bundled_years(uow, runtime.clock.now())
        added += store_bundled_fields(uow)
        if simulation:
            uow.marks.set(SIMULATION, "yes", runtime.clock.now())
        if added or simulation:
            uow.commit()


def _refuse_a_set_clock(engine: Engine, settings: Settings) -> None:
    """Refuse a clock set in the settings on a database that is not marked as a simulation."""
    if settings.now is not None and read_mark(engine, SIMULATION) is None:
        engine.dispose()
        raise InputError("clock_not_simulation", url=shown_url(settings.database_url))


def timeouts_of(settings: Settings) -> DatabaseTimeouts:
    """How long the engines of `settings` wait to connect, for a lock and for one statement, and how long a
    pooled connection may sit idle before it is pinged."""
    return DatabaseTimeouts(
        settings.connect_timeout, settings.lock_timeout, settings.statement_timeout, settings.idle_ping_after
    )


def database_error(error: BaseException, settings: Settings) -> CapevalError | None:
    """The coded one-line error for a database failure under `settings` (no SQL, parameters or password), or
    None when `error` is not a database failure."""
    return database_failure(error, settings.database_url, timeouts_of(settings))


def _open(url: str, timeouts: DatabaseTimeouts) -> Engine:
    """An engine on an existing database; a SQLite file that is not there is refused, not created."""
    file = sqlite_file(url)
    if file is not None and not file.is_file():
        raise InputError("database_missing", url=shown_url(url))
    return make_engine(url, timeouts=timeouts)


def _status(engine: Engine, url: str, timeouts: DatabaseTimeouts = DEFAULT_TIMEOUTS) -> SchemaStatus:
    try:
        return schema_status(engine)
    except SQLAlchemyError as error:
        engine.dispose()
        coded = database_failure(error, url, timeouts)
        if coded is None:
            raise
        raise coded from None


def _revisions(engine: Engine, url: str) -> tuple[str | None, str]:
    status = _status(engine, url)
    return status.current, status.head
