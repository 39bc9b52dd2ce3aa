#!/usr/bin/env python
"""Throughput of capeval's command handler against a bare SQL transaction doing the same writes.

Run:  python bench/handler_throughput.py [--backend sqlite|postgresql|both] [--commands N]
                                          [--rounds R] [--warmup W] [--profile] [--strict]

For each backend a fresh database is made (SQLite in a temporary folder; PostgreSQL as a new
database `capeval_bench_<random>` on the admin URL, dropped at the end), initialised by `init_runtime`,
and a society with one member per case is loaded with `load_directory`. Draft cases are created with
`handle(runtime, CreateApplication(...))` (2500-character statement, the three required evidence
kinds, commitment signed).

Timed, on the same engine and database, interleaved over R rounds (median taken):

* handler: N x `handle(runtime, TakeAction(case, SUBMIT, ...))`, then N x ACCEPT_FOR_REVIEW on the
  same cases (load, gather facts, guards + state machine, stage + version + history + outbox, commit);
* bare:    on another N draft cases, one SQLAlchemy Core transaction per case doing the same writes:
  SELECT the application row (joined to the applicant for the notice recipient), UPDATE stage,
  version+1, updated_at WHERE id AND version, INSERT stage_history, INSERT outbox_message, COMMIT.

The ratio handler/bare is checked against its backend's target (SQLite 0.5, PostgreSQL 0.6); RETURN_FOR_REVISION
(with its resubmission deadline) and REGISTER (the yearly number counter, the certificate and its history line;
the cases set to approved by one untimed Core update) are timed too, each on cases of its own. Exit status
is 0 unless something fails, or with --strict, 1 when any ratio misses the target.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine, make_url

from capeval.models import (
    Application,
    Certificate,
    CertificateHistory,
    Deadline,
    OutboxMessage,
    Person,
    RegistrationCounter,
    Society,
    StageHistory,
)
from capeval.models.database import normalize_url
from capeval.services.bootstrap import init_runtime
from capeval.services.certificates import schedule
from capeval.services.directory import load_directory
from capeval.services.handlers import handle
from capeval.services.runtime import Runtime
from capeval.settings import Settings
from capeval.states.application import Action, Stage
from capeval.states.calendar import SHANGHAI
from capeval.states.certificates import expiry_date, registration_number
from capeval.states.clock import FixedClock, today_in_shanghai
from capeval.states.commands import ApplicantDetails, CreateApplication, EvidenceRef, TakeAction
from capeval.states.levels import Level, Route
from capeval.states.policy import PipelinePolicy
from capeval.states.stored_reasons import coded_reason

TARGETS = {"sqlite": 0.5, "postgresql": 0.6}
"""The ratio each backend must reach."""
TARGET_RATIO = min(TARGETS.values())
DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BENCH_MOMENT = datetime(2025, 6, 16, 10, 0, tzinfo=SHANGHAI)  # a Monday inside the bundled calendars
SOCIETY_CODE = "bench"
FIELD_CODE = "civil"
STATEMENT_CHARS = 2500
BENCH_ID_KEY = "capeval bench: a fixed key of ID-number digests, no secret"
WORKGROUP_ACTOR = "工作组 基准"
EVIDENCE = (
    EvidenceRef("id_card_front", "files/id-front.pdf", "ID copy, front"),
    EvidenceRef("id_card_back", "files/id-back.pdf", "ID copy, back"),
    EvidenceRef("education", "files/degree.pdf", "degree certificate"),
)
# The two timed actions, as (action, source stage, destination stage).
STEPS = (
    (Action.SUBMIT, Stage.DRAFT, Stage.SUBMITTED),
    (Action.ACCEPT_FOR_REVIEW, Stage.SUBMITTED, Stage.MATERIAL_REVIEW),
)
RETURN_STEP = (Action.RETURN_FOR_REVISION, Stage.SUBMITTED, Stage.RETURNED)
"""Timed on cases of their own, submitted first (untimed): the deadline of 10 working days is written too."""
RETURN_REASON = "学历证明不清晰"
REGISTER_STEP = (Action.REGISTER, Stage.APPROVED, Stage.REGISTERED)
"""Timed on cases of their own, submitted and accepted first (untimed), then set to approved with one Core
update: the review round and the committee's resolution between are not this row's. Both sides raise the
society's yearly number counter, insert the certificate (with its renewal sweep's due dates) and its first
history line, besides the stage, history and notice every action writes."""


# --------------------------------------------------------------------------- test data


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_AREA_CODES = ("110101", "110105", "310104", "310115", "440106", "440305", "320102", "510104", "420111", "330106")


def id_number(rng: random.Random, taken: set[str]) -> str:
    """A fresh, valid 18-character PRC resident ID number (ISO 7064 MOD 11-2 check character)."""
    while True:
        birthday = date(1965, 1, 1) + timedelta(days=rng.randrange(365 * 35))
        first17 = f"{rng.choice(_AREA_CODES)}{birthday:%Y%m%d}{rng.randrange(1000):03d}"
        total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
        number = first17 + _ID_CHECK[total % 11]
        if number not in taken:
            taken.add(number)
            return number


def self_statement(serial: int) -> str:
    """A self-statement of exactly STATEMENT_CHARS characters."""
    text = (
        f"申请人{serial}自参加工作以来长期从事土木工程设计与施工管理工作，主持完成多项大型桥梁与隧道项目，"
        "负责技术方案论证、施工组织设计与质量安全管理，解决了复杂地质条件下的关键技术问题，取得了良好的"
        "经济效益和社会效益。"
    )
    return (text * (STATEMENT_CHARS // len(text) + 1))[:STATEMENT_CHARS]


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str
    email: str


def make_people(count: int, seed: int) -> tuple[dict[str, str], list[Applicant]]:
    rng = random.Random(seed)
    taken: set[str] = set()
    workgroup = {"name": WORKGROUP_ACTOR, "id_number": id_number(rng, taken), "email": "wg@bench.example"}
    applicants = [
        Applicant(f"申请人{i:05d}", id_number(rng, taken), f"applicant{i:05d}@bench.example") for i in range(count)
    ]
    return workgroup, applicants


def society_document(workgroup: dict[str, str], applicants: Sequence[Applicant]) -> dict[str, Any]:
    return {
        "society": {
            "code": SOCIETY_CODE,
            "name_zh": "基准学会",
            "name_en": "Benchmark Society",
            "email": "s@bench.example",
        },
        "authorization": [{"field": FIELD_CODE, "authorized_on": "2020-01-01"}],
        "workgroup": [workgroup],
        "member": [
            {
                "name": a.name,
                "id_number": a.id_number,
                "email": a.email,
                "status": "active",
                "since": "2021-03-01",
                "member_number": f"M{i:05d}",
            }
            for i, a in enumerate(applicants)
        ],
    }


def create_drafts(runtime: Runtime, applicants: Sequence[Applicant]) -> list[int]:
    ids = []
    for serial, applicant in enumerate(applicants):
        outcome = handle(
            runtime,
            CreateApplication(
                applicant=ApplicantDetails(applicant.name, applicant.id_number, applicant.email),
                society_code=SOCIETY_CODE,
                field_code=FIELD_CODE,
                level=Level.PROFESSIONAL,
                route=Route.STANDARD,
                self_statement=self_statement(serial),
                evidence=EVIDENCE,
                commitment_signed=True,
            ),
        )
        ids.append(outcome.case_id)
        assert outcome.applicant is not None
        APPLICANT_OF[outcome.case_id] = outcome.applicant
    return ids


APPLICANT_OF: dict[int, str] = {}
"""The username of each draft case's applicant: they submit it, the workgroup accepts it."""


# --------------------------------------------------------------------------- the two sides


def run_handler(runtime: Runtime, case_ids: Sequence[int], action: Action, dest: Stage) -> None:
    reason = RETURN_REASON if action is Action.RETURN_FOR_REVISION else ""
    for case_id in case_ids:
        actor = APPLICANT_OF[case_id] if action is Action.SUBMIT else WORKGROUP_ACTOR
        outcome = handle(runtime, TakeAction(case_id, action, actor, reason))
        if outcome.stage != dest.value:
            raise RuntimeError(f"handler left case {case_id} in {outcome.stage}, expected {dest.value}")


class BareWriter:
    """The same writes as the handler, as one hand-written SQLAlchemy Core transaction per case."""

    def __init__(self, engine: Engine, now: datetime, resubmission_due: date | None = None) -> None:
        self.engine, self.now, self.resubmission_due = engine, now, resubmission_due
        self.insert_deadline = sa.insert(Deadline.__table__)  # type: ignore[attr-defined]
        app, person = Application.__table__, Person.__table__
        history, outbox = StageHistory.__table__, OutboxMessage.__table__
        self.select = (
            sa.select(
                app,
                person.c.name.label("p_name"),
                person.c.email.label("p_email"),
                person.c.language.label("p_language"),
            )
            .join(person, person.c.id == app.c.person_id)
            .where(app.c.id == sa.bindparam("b_id"))
        )
        self.update = (
            sa.update(app)
            .where(app.c.id == sa.bindparam("b_id"), app.c.version == sa.bindparam("b_version"))
            .values(
                stage=sa.bindparam("b_stage", type_=app.c.stage.type),
                version=sa.bindparam("b_new_version", type_=app.c.version.type),
                updated_at=sa.bindparam("b_now", type_=app.c.updated_at.type),
            )
        )
        self.insert_history = sa.insert(history)
        self.insert_outbox = sa.insert(outbox)

    def prepare_register(self, dialect: str, certificate: dict[str, Any]) -> None:
        """The statements and fixed values of `register` (every case is registered on the same day)."""
        app, person, society = Application.__table__, Person.__table__, Society.__table__
        counter = RegistrationCounter.__table__  # type: ignore[attr-defined]
        self.register_values = certificate
        self.select_for_register = (
            sa.select(
                app,
                person.c.name.label("p_name"),
                person.c.email.label("p_email"),
                person.c.language.label("p_language"),
                society.c.code.label("s_code"),
            )
            .join(person, person.c.id == app.c.person_id)
            .join(society, society.c.id == app.c.society_id)
            .where(app.c.id == sa.bindparam("b_id"))
        )
        where = sa.and_(counter.c.society_id == sa.bindparam("b_society"), counter.c.year == sa.bindparam("b_year"))
        self.raise_counter = (
            sa.update(counter)
            .where(where)
            .values(last_sequence=counter.c.last_sequence + 1)
            .returning(counter.c.last_sequence)
        )
        insert = (postgresql if dialect == "postgresql" else sqlite).insert(counter)
        self.start_counter = insert.values(
            society_id=sa.bindparam("b_society"), year=sa.bindparam("b_year"), last_sequence=0
        ).on_conflict_do_nothing(index_elements=["society_id", "year"])
        certificates = Certificate.__table__  # type: ignore[attr-defined]
        self.insert_certificate = sa.insert(certificates).returning(certificates.c.id)
        self.insert_certificate_history = sa.insert(CertificateHistory.__table__)  # type: ignore[attr-defined]

    def register(self, case_id: int, actor: str) -> None:
        """One bare `register`: number, certificate, its history line, stage, stage history, notice."""
        action, source, dest = REGISTER_STEP
        now, values = self.now, self.register_values
        today: date = values["issued_on"]
        with self.engine.begin() as connection:
            row = connection.execute(self.select_for_register, {"b_id": case_id}).mappings().one()
            if row["stage"] != source.value:
                raise RuntimeError(f"bare: case {case_id} is in {row['stage']}, expected {source.value}")
            counter = {"b_society": row["society_id"], "b_year": today.year}
            sequence = connection.execute(self.raise_counter, counter).scalar_one_or_none()
            if sequence is None:  # the year's first number
                connection.execute(self.start_counter, counter)
                sequence = connection.execute(self.raise_counter, counter).scalar_one()
            number = registration_number(row["s_code"], row["field_code"], today.year, sequence)
            certificate_id = connection.execute(
                self.insert_certificate,
                {
                    "registration_number": number,
                    "person_id": row["person_id"],
                    "society_id": row["society_id"],
                    "application_id": case_id,
                    "field_code": row["field_code"],
                    "level": row["level"],
                    "status": "active",
                    "renewals": 0,
                    **values,
                },
            ).scalar_one()
            connection.execute(
                self.insert_certificate_history,
                {
                    "certificate_id": certificate_id,
                    "from_status": None,
                    "to_status": "active",
                    "action": "issue",
                    "actor": actor,
                    "actor_id": None,
                    "reason": coded_reason("certificate_registered_reason", case_id=case_id),
                    "effective_on": today,
                    "at": now,
                },
            )
            extra = {"registration_number": number, "expires_on": values["expires_on"].isoformat()}
            self._move(connection, row, case_id, (action, source, dest), actor, "", None, extra)

    def take(self, case_id: int, action: Action, source: Stage, dest: Stage, actor: str) -> None:
        returning = action is Action.RETURN_FOR_REVISION
        reason = RETURN_REASON if returning else ""
        due_on = self.resubmission_due if returning else None
        with self.engine.begin() as connection:
            row = connection.execute(self.select, {"b_id": case_id}).mappings().one()
            if row["stage"] != source.value:
                raise RuntimeError(f"bare: case {case_id} is in {row['stage']}, expected {source.value}")
            self._move(connection, row, case_id, (action, source, dest), actor, reason, due_on, {})

    def _move(
        self,
        connection: sa.Connection,
        row: Any,
        case_id: int,
        step: tuple[Action, Stage, Stage],
        actor: str,
        reason: str,
        due_on: date | None,
        extra_context: dict[str, Any],
    ) -> None:
        """The writes every bare move makes: the stage, its history line, the window it opens, the notice."""
        action, source, dest = step
        now = self.now
        version = row["version"] + 1
        result = connection.execute(
            self.update,
            {
                "b_id": case_id,
                "b_version": row["version"],
                "b_stage": dest.value,
                "b_new_version": version,
                "b_now": now,
            },
        )
        if result.rowcount != 1:
            raise RuntimeError(f"bare: case {case_id} changed under us")
        connection.execute(
            self.insert_history,
            {
                "application_id": case_id,
                "version": version,
                "from_stage": source.value,
                "to_stage": dest.value,
                "action": action.value,
                "actor": actor,
                "reason": reason,
                "at": now,
            },
        )
        if due_on is not None:
            connection.execute(
                self.insert_deadline,
                {"application_id": case_id, "kind": "resubmission", "due_on": due_on, "created_at": now},
            )
        template = f"application.{action.value}"
        connection.execute(
            self.insert_outbox,
            {
                "dedupe_key": f"application:{case_id}:v{version}:{template}:{row['person_id']}",
                "template": template,
                "recipient_name": row["p_name"],
                "recipient_email": row["p_email"],
                "language": row["p_language"],
                "context": {
                    "case_id": case_id,
                    "applicant_name": row["p_name"],
                    "action": action.value,
                    "stage": dest.value,
                    "previous_stage": source.value,
                    "reason": reason,
                    "field_code": row["field_code"],
                    "level": row["level"],
                    "due_on": due_on.isoformat() if due_on else None,
                    **extra_context,
                },
                "application_id": case_id,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
                "sent_at": None,
                "last_error": "",
            },
        )


def run_bare(writer: BareWriter, case_ids: Sequence[int], action: Action, source: Stage, dest: Stage) -> None:
    actor = "applicant" if action is Action.SUBMIT else WORKGROUP_ACTOR
    for case_id in case_ids:
        writer.take(case_id, action, source, dest, actor)


def timed(work: Callable[[], None], count: int) -> float:
    """Operations per second of `work`, which does `count` operations."""
    gc.collect()
    start = time.perf_counter()
    work()
    return count / (time.perf_counter() - start)


# --------------------------------------------------------------------------- where the time goes


class SqlMeter:
    """Counts statements and the time spent in the driver (execute + commit) while installed."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.statements = 0
        self.db_seconds = 0.0
        self._started: list[float] = []

    def _before(self, *_: Any) -> None:
        self._started.append(time.perf_counter())

    def _after(self, *_: Any) -> None:
        self.db_seconds += time.perf_counter() - self._started.pop()
        self.statements += 1

    @contextmanager
    def installed(self) -> Iterator[SqlMeter]:
        dialect = self.engine.dialect
        original_commit = dialect.do_commit

        def do_commit(dbapi_connection: Any) -> None:
            start = time.perf_counter()
            try:
                original_commit(dbapi_connection)
            finally:
                self.db_seconds += time.perf_counter() - start

        sa.event.listen(self.engine, "before_cursor_execute", self._before)
        sa.event.listen(self.engine, "after_cursor_execute", self._after)
        dialect.do_commit = do_commit  # type: ignore[method-assign]
        try:
            yield self
        finally:
            dialect.do_commit = original_commit  # type: ignore[method-assign]
            sa.event.remove(self.engine, "before_cursor_execute", self._before)
            sa.event.remove(self.engine, "after_cursor_execute", self._after)


@dataclass
class Split:
    """Mean time per command, by phase of take_action (ms), with SQL statement count and driver time."""

    commands: int = 0
    total: float = 0.0
    statements: int = 0
    db_seconds: float = 0.0


def measure_split(runtime: Runtime, case_ids: Sequence[int]) -> Split:
    split = Split(commands=len(case_ids))
    meter = SqlMeter(runtime.engine)
    with meter.installed():
        start = time.perf_counter()
        run_handler(runtime, case_ids, Action.SUBMIT, Stage.SUBMITTED)
        split.total = time.perf_counter() - start
    split.statements, split.db_seconds = meter.statements, meter.db_seconds
    return split


def measure_bare_sql(writer: BareWriter, case_ids: Sequence[int]) -> tuple[float, int, float]:
    meter = SqlMeter(writer.engine)
    with meter.installed():
        start = time.perf_counter()
        run_bare(writer, case_ids, Action.SUBMIT, Stage.DRAFT, Stage.SUBMITTED)
        total = time.perf_counter() - start
    return total, meter.statements, meter.db_seconds


def profile_handler(runtime: Runtime, case_ids: Sequence[int], top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    run_handler(runtime, case_ids, Action.SUBMIT, Stage.SUBMITTED)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


# --------------------------------------------------------------------------- databases


class Unreachable(Exception):
    pass


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="capeval-bench-") as folder:
        yield f"sqlite:///{Path(folder) / 'bench.db'}"


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    admin_url = normalize_url(admin_url)
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    try:
        try:
            with admin.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        except sa.exc.OperationalError as error:
            raise Unreachable(str(error.orig).strip().splitlines()[0]) from None
        name = f"capeval_bench_{secrets.token_hex(4)}"
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                try:
                    connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                except sa.exc.ProgrammingError:  # PostgreSQL < 13
                    connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
    finally:
        admin.dispose()


# --------------------------------------------------------------------------- one backend


@dataclass
class Row:
    backend: str
    action: str
    handler: list[float]
    bare: list[float]

    @property
    def handler_median(self) -> float:
        return statistics.median(self.handler)

    @property
    def bare_median(self) -> float:
        return statistics.median(self.bare)

    def time_round(
        self, handler_work: Callable[[], None], bare_work: Callable[[], None], size: int, round_no: int, keep: bool
    ) -> None:
        """Time both sides of one round, doing `size` operations each, the handler first in even rounds and
        the bare side first in odd ones; their rates are kept when `keep` (not in a warm-up round)."""
        sides = [(self.handler, handler_work), (self.bare, bare_work)]
        if round_no % 2:
            sides.reverse()
        for bucket, work in sides:
            rate = timed(work, size)
            if keep:
                bucket.append(rate)

    @property
    def round_ratios(self) -> list[float]:
        return [h / b for h, b in zip(self.handler, self.bare, strict=True)]

    @property
    def ratio(self) -> float:
        """The median of the per-round ratios: each round runs both sides back to back, so it is fairer under
        load that changes during the run than the ratio of the medians."""
        return statistics.median(self.round_ratios)


@dataclass
class BackendResult:
    backend: str
    rows: list[Row]
    setup_seconds: float
    split: Split | None = None
    bare_sql: tuple[float, int, float] | None = None
    profile: str | None = None


def check_written(engine: Engine, handler_ids: Sequence[int], bare_ids: Sequence[int]) -> None:
    """Both sides must leave their cases in the same shape: version 3, 3 history rows, 2 notices."""
    app, history, outbox = Application.__table__, StageHistory.__table__, OutboxMessage.__table__
    with engine.connect() as connection:
        for label, ids in (("handler", handler_ids), ("bare", bare_ids)):
            stages = connection.execute(
                sa.select(app.c.stage, app.c.version, sa.func.count())
                .where(app.c.id.in_(ids))
                .group_by(app.c.stage, app.c.version)
            ).all()
            histories = connection.execute(
                sa.select(sa.func.count()).select_from(history).where(history.c.application_id.in_(ids))
            ).scalar_one()
            notices = connection.execute(
                sa.select(sa.func.count()).select_from(outbox).where(outbox.c.application_id.in_(ids))
            ).scalar_one()
            expected = [(Stage.MATERIAL_REVIEW.value, 3, len(ids))]
            if [tuple(r) for r in stages] != expected or histories != 3 * len(ids) or notices != 2 * len(ids):
                raise RuntimeError(
                    f"{label} side wrote {stages}, {histories} history rows, {notices} notices; "
                    f"expected {expected}, {3 * len(ids)}, {2 * len(ids)}"
                )


def time_returns(
    runtime: Runtime,
    writer: BareWriter,
    batch: Callable[[int], list[int]],
    n: int,
    rounds: int,
    warmup: int,
    backend: str,
) -> Row:
    """RETURN_FOR_REVISION on cases of its own, submitted first (untimed) by each side's own means."""
    action, source, dest = RETURN_STEP
    row = Row(backend, action.value, [], [])
    for round_no in range(rounds + 1):
        size = warmup if round_no == 0 else n
        handler_ids, bare_ids = batch(size), batch(size)
        run_handler(runtime, handler_ids, Action.SUBMIT, Stage.SUBMITTED)
        run_bare(writer, bare_ids, Action.SUBMIT, Stage.DRAFT, Stage.SUBMITTED)
        row.time_round(
            lambda ids=handler_ids: run_handler(runtime, ids, action, dest),
            lambda ids=bare_ids: run_bare(writer, ids, action, source, dest),
            size,
            round_no,
            keep=round_no > 0,
        )
        if round_no:
            print(
                f"  [{backend}] return round {round_no}/{rounds}: handler {row.handler[-1]:,.0f}/s, "
                f"bare {row.bare[-1]:,.0f}/s",
                flush=True,
            )
    deadlines = Deadline.__table__  # type: ignore[attr-defined]
    with runtime.engine.connect() as connection:
        count = connection.execute(
            sa.select(sa.func.count()).select_from(deadlines).where(deadlines.c.kind == "resubmission")
        ).scalar_one()
    if count != 2 * (warmup + n * rounds):
        raise RuntimeError(f"{count} resubmission deadlines written, expected {2 * (warmup + n * rounds)}")
    return row


def approve(engine: Engine, case_ids: Sequence[int]) -> None:
    """Set accepted cases to approved (untimed): the review round and the committee are not the row's."""
    app = Application.__table__
    with engine.begin() as connection:
        connection.execute(sa.update(app).where(app.c.id.in_(list(case_ids))).values(stage=Stage.APPROVED.value))


def run_register(runtime: Runtime, case_ids: Sequence[int]) -> None:
    for case_id in case_ids:
        outcome = handle(runtime, TakeAction(case_id, Action.REGISTER, WORKGROUP_ACTOR))
        if outcome.stage != Stage.REGISTERED.value or not outcome.registration_number:
            raise RuntimeError(f"handler left case {case_id} in {outcome.stage}, expected registered")


def run_bare_register(writer: BareWriter, case_ids: Sequence[int]) -> None:
    for case_id in case_ids:
        writer.register(case_id, WORKGROUP_ACTOR)


def time_registers(
    runtime: Runtime,
    writer: BareWriter,
    batch: Callable[[int], list[int]],
    n: int,
    rounds: int,
    warmup: int,
    backend: str,
) -> Row:
    """REGISTER on cases of its own, submitted and accepted first (untimed) by each side's own means."""
    action = REGISTER_STEP[0]
    row = Row(backend, action.value, [], [])
    for round_no in range(rounds + 1):
        size = warmup if round_no == 0 else n
        handler_ids, bare_ids = batch(size), batch(size)
        for step, source, dest in STEPS:
            run_handler(runtime, handler_ids, step, dest)
            run_bare(writer, bare_ids, step, source, dest)
        approve(runtime.engine, handler_ids + bare_ids)
        row.time_round(
            lambda ids=handler_ids: run_register(runtime, ids),
            lambda ids=bare_ids: run_bare_register(writer, ids),
            size,
            round_no,
            keep=round_no > 0,
        )
        if round_no:
            print(
                f"  [{backend}] register round {round_no}/{rounds}: handler {row.handler[-1]:,.0f}/s, "
                f"bare {row.bare[-1]:,.0f}/s",
                flush=True,
            )
    certificates = Certificate.__table__  # type: ignore[attr-defined]
    with runtime.engine.connect() as connection:
        count, top = connection.execute(
            sa.select(sa.func.count(), sa.func.max(certificates.c.registration_number))
        ).one()
    expected = 2 * (warmup + n * rounds)
    if count != expected or not str(top).endswith(f"{expected:05d}"):
        raise RuntimeError(f"{count} certificates written (last number {top}), expected {expected}")
    return row


def run_backend(backend: str, url: str, args: argparse.Namespace) -> BackendResult:
    n, rounds, warmup = args.commands, args.rounds, args.warmup
    extra = min(n, 100) if args.split else 0
    profiled = args.profile_commands if args.profile else 0
    cases_needed = 6 * warmup + 6 * n * rounds + 2 * extra + profiled

    setup_start = time.perf_counter()
    clock = FixedClock(BENCH_MOMENT)
    runtime = init_runtime(Settings.load(database_url=url, id_key=BENCH_ID_KEY), clock=clock)
    try:
        workgroup, applicants = make_people(cases_needed, seed=20250616)
        load_directory(runtime, society_document(workgroup, applicants), origin="bench society")
        ids = create_drafts(runtime, applicants)
        setup_seconds = time.perf_counter() - setup_start
        print(f"  [{backend}] setup: migrated, {len(ids)} members and draft cases in {setup_seconds:.1f}s", flush=True)

        with runtime.unit_of_work() as uow:
            days = PipelinePolicy().resubmission_working_days
            resubmission_due = runtime.calendar(uow).add_working_days(today_in_shanghai(clock), days)
        writer = BareWriter(runtime.engine, clock.now(), resubmission_due)
        today = today_in_shanghai(clock)
        expires_on = expiry_date(today, runtime.policy.certificate_validity_years)
        due = schedule(today, expires_on, runtime.policies.renewal, today)
        values = {"issued_on": today, "valid_from": today, "expires_on": expires_on, **due}
        writer.prepare_register(runtime.engine.dialect.name, values)
        take = iter(ids)

        def batch(size: int) -> list[int]:
            return [next(take) for _ in range(size)]

        # warm up both sides (connection pool, statement caches, the Machine, the calendar)
        warm_h, warm_b = batch(warmup), batch(warmup)
        for action, source, dest in STEPS:
            run_handler(runtime, warm_h, action, dest)
            run_bare(writer, warm_b, action, source, dest)

        rows = {action: Row(backend, action.value, [], []) for action, _, _ in STEPS}
        all_h: list[int] = []
        all_b: list[int] = []
        for round_no in range(rounds):
            handler_ids, bare_ids = batch(n), batch(n)
            all_h += handler_ids
            all_b += bare_ids
            for action, source, dest in STEPS:
                rows[action].time_round(
                    lambda a=action, d=dest, ids=handler_ids: run_handler(runtime, ids, a, d),
                    lambda a=action, s=source, d=dest, ids=bare_ids: run_bare(writer, ids, a, s, d),
                    n,
                    round_no,
                    keep=True,
                )
            r = rows[Action.SUBMIT]
            print(
                f"  [{backend}] round {round_no + 1}/{rounds}: submit handler {r.handler[-1]:,.0f}/s, "
                f"bare {r.bare[-1]:,.0f}/s; accept handler {rows[Action.ACCEPT_FOR_REVIEW].handler[-1]:,.0f}/s, "
                f"bare {rows[Action.ACCEPT_FOR_REVIEW].bare[-1]:,.0f}/s",
                flush=True,
            )
        check_written(runtime.engine, all_h, all_b)
        rows[RETURN_STEP[0]] = time_returns(runtime, writer, batch, n, rounds, warmup, backend)
        rows[REGISTER_STEP[0]] = time_registers(runtime, writer, batch, n, rounds, warmup, backend)

        result = BackendResult(backend, list(rows.values()), setup_seconds)
        if extra:
            result.split = measure_split(runtime, batch(extra))
            result.bare_sql = measure_bare_sql(writer, batch(extra))
        if profiled:
            result.profile = profile_handler(runtime, batch(profiled), args.profile_top)
        return result
    finally:
        runtime.engine.dispose()


# --------------------------------------------------------------------------- report


def print_table(results: Sequence[BackendResult], rounds: int, n: int) -> bool:
    print()
    print(f"capeval handler vs bare SQL transaction: {n} commands per side per round, median of {rounds} rounds")
    print("(rates: median over rounds; ratio: median of the per-round handler/bare ratios, listed last)")
    header = (
        f"{'backend':<11} {'action':<18} {'handler cmd/s':>14} {'bare tx/s':>11} {'ratio':>7} {'target':>7}  verdict"
        "  per-round ratios"
    )
    print(header)
    print("-" * len(header))
    passed = True
    for result in results:
        for row in result.rows:
            target = TARGETS.get(row.backend, TARGET_RATIO)
            ok = row.ratio >= target
            passed &= ok
            print(
                f"{row.backend:<11} {row.action:<20} {row.handler_median:>14,.0f} {row.bare_median:>11,.0f} "
                f"{row.ratio:>7.2f} {target:>7.2f}  {'PASS' if ok else 'MISS'}   "
                + " ".join(f"{r:.2f}" for r in row.round_ratios)
            )
    return passed


def print_split(result: BackendResult) -> None:
    split = result.split
    if split is None or not split.commands:
        return
    per = 1000.0 / split.commands
    print()
    print(f"[{result.backend}] handler SUBMIT, mean per command over {split.commands} (instrumented, so a bit slower):")
    print(
        f"  total {split.total * per:7.3f} ms   SQL statements {split.statements / split.commands:.1f}   "
        f"time in driver (execute+commit) {split.db_seconds * per:.3f} ms "
        f"({100 * split.db_seconds / split.total:.0f}%)"
    )
    if result.bare_sql:
        total, statements, db = result.bare_sql
        print(
            f"  bare tx: total {total * per:7.3f} ms   SQL statements {statements / split.commands:.1f}   "
            f"time in driver {db * per:.3f} ms ({100 * db / total:.0f}%)"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--commands", type=int, default=300, metavar="N", help="commands per side per round (300)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds, median taken (3)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed commands per side first (20)")
    parser.add_argument("--no-split", dest="split", action="store_false", help="skip the per-phase time split")
    parser.add_argument("--profile", action="store_true", help="cProfile the handler and print the hot spots")
    parser.add_argument("--profile-commands", type=int, default=200, metavar="N")
    parser.add_argument("--profile-top", type=int, default=25, metavar="K")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a ratio is below its target")
    parser.add_argument("--quick", action="store_true", help="100 commands, 2 rounds, no split")
    args = parser.parse_args(argv)
    if args.quick:
        args.commands, args.rounds, args.split = 100, 2, False
    if args.commands < 1 or args.rounds < 1 or args.warmup < 0:
        parser.error("--commands and --rounds must be >= 1, --warmup >= 0")

    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    admin_url = os.environ.get("CAPEVAL_BENCH_POSTGRES_URL", DEFAULT_ADMIN_URL)
    results: list[BackendResult] = []
    skipped: list[str] = []
    started = time.perf_counter()
    for backend in backends:
        print(f"== {backend}", flush=True)
        try:
            if backend == "sqlite":
                with sqlite_database() as url:
                    results.append(run_backend(backend, url, args))
            else:
                with postgres_database(admin_url) as url:
                    results.append(run_backend(backend, url, args))
        except Unreachable as error:
            shown = make_url(normalize_url(admin_url)).render_as_string(hide_password=True)
            print(f"  PostgreSQL at {shown} is unreachable ({error}); skipping this backend")
            skipped.append(backend)

    if not results:
        print("no backend ran")
        return 1 if args.strict else 0
    passed = print_table(results, args.rounds, args.commands)
    for result in results:
        print_split(result)
    for result in results:
        if result.profile:
            print(f"\n[{result.backend}] cProfile of {args.profile_commands} handler SUBMIT commands")
            print(result.profile)
    if skipped:
        print(f"\nskipped: {', '.join(skipped)}")
    print(
        f"\noverall: {'PASS' if passed else 'MISS'} (targets: ratio >= {TARGETS}); "
        f"wall time {time.perf_counter() - started:.0f}s"
    )
    return 1 if (args.strict and not passed) else 0


if __name__ == "__main__":
    sys.exit(main())
