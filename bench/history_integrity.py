#!/usr/bin/env python
"""What the append-only protection costs an append, and whether `db verify` scales with the cases.

Run:  python bench/history_integrity.py [--lines 20000] [--small 1000] [--large 10000] [--backend sqlite]

1. Append: `--lines` history lines inserted in one transaction into `stage_history` with its append-only
   triggers, and again with them dropped (same table, indexes and keys), alternating, three rounds each;
   the ratio is the median time with the triggers / without (1.0 = free). On PostgreSQL no trigger fires
   on INSERT, so the ratio there shows the noise of the measurement.
2. Verify: two fresh databases filled by bulk insert with `--small` and `--large` submitted cases (two
   history lines each); `verify_histories` runs on both after a warm-up; the ratio is the large database's
   time per case over the small one's (1.0 = linear in the cases).
PostgreSQL runs against CAPEVAL_BENCH_POSTGRES_URL (default the local server) when it answers.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from capeval.services.bootstrap import init_runtime
from capeval.services.history_audit import verify_histories
from capeval.services.runtime import Runtime
from capeval.settings import Settings
from capeval.states.clock import SHANGHAI, FixedClock

NOW = datetime(2026, 6, 15, 9, 0, tzinfo=SHANGHAI)
KEY = "capeval bench: a fixed key that is no secret at all"
ADMIN = os.environ.get("CAPEVAL_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@contextmanager
def database(backend: str, folder: Path, name: str) -> Iterator[Runtime]:
    if backend == "sqlite":
        url = f"sqlite:///{folder / f'{name}.db'}"
        runtime = init_runtime(Settings.load(database_url=url, id_key=KEY), clock=FixedClock(NOW))
        yield runtime
        runtime.engine.dispose()
        return
    admin = sa.create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    database_name = f"capeval_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{database_name}"'))
    url = sa.make_url(ADMIN).set(database=database_name).render_as_string(hide_password=False)
    runtime = init_runtime(Settings.load(database_url=url, id_key=KEY), clock=FixedClock(NOW))
    try:
        yield runtime
    finally:
        runtime.engine.dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database_name}" WITH (FORCE)'))
        admin.dispose()


def fill(runtime: Runtime, cases: int) -> None:
    """One society, one person, `cases` submitted cases with their two history lines each."""
    with runtime.engine.begin() as connection:
        society = "INSERT INTO society (id, code, name_zh, name_en, email) VALUES (1, 'B', '学会', '', '')"
        connection.execute(sa.text(society))
        connection.execute(
            sa.text(
                "INSERT INTO person (id, username, name, id_number_digest, id_number_masked, email, language, "
                "employer, created_at) VALUES (1, 'p1', '申请人', 'd', 'm', 'p@example.cn', 'zh-CN', '', :now)"
            ),
            {"now": NOW},
        )
        field = connection.execute(sa.text("SELECT code FROM engineering_field ORDER BY code LIMIT 1")).scalar_one()
        connection.execute(
            sa.text(
                "INSERT INTO application (id, person_id, society_id, field_code, level, route, stage, version, batch, "
                "self_statement, last_reason, created_at, updated_at) VALUES (:id, 1, 1, :field, 'professional', "
                "'standard', 'submitted', 2, '', '', '', :now, :now)"
            ),
            [{"id": n, "field": field, "now": NOW} for n in range(1, cases + 1)],
        )
        lines = []
        for n in range(1, cases + 1):
            lines.append(_line(n, 1, None, "draft", "create"))
            lines.append(_line(n, 2, "draft", "submitted", "submit"))
        connection.execute(sa.text(_INSERT_LINE.format(table="stage_history")), lines)


_INSERT_LINE = (
    "INSERT INTO {table} (application_id, version, from_stage, to_stage, action, actor, reason, basis, at) "
    "VALUES (:application_id, :version, :from_stage, :to_stage, :action, 'bench', '', '', :at)"
)


def _line(case_id: int, version: int, from_stage: str | None, to_stage: str, action: str) -> dict[str, object]:
    return {
        "application_id": case_id,
        "version": version,
        "from_stage": from_stage,
        "to_stage": to_stage,
        "action": action,
        "at": NOW,
    }


def _trigger_definitions(connection: sa.Connection) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the append-only triggers of stage_history."""
    if connection.dialect.name == "sqlite":
        query = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'stage_history'"
    else:
        query = (
            "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger "
            "WHERE tgrelid = 'stage_history'::regclass AND NOT tgisinternal"
        )
    return [(str(name), str(sql)) for name, sql in connection.execute(sa.text(query))]


def append_ratio(backend: str, folder: Path, lines: int) -> float:
    """Appending to stage_history with its triggers vs the same table with them dropped (same indexes, keys)."""
    with database(backend, folder, "append") as runtime:
        fill(runtime, 1)
        with runtime.engine.connect() as connection:
            triggers = _trigger_definitions(connection)
        rows = [_line(1, 3 + n, "submitted", "submitted", "bench") for n in range(lines)]
        timings: dict[bool, list[float]] = {True: [], False: []}
        for _ in range(3):
            for protected in (True, False):
                started = time.perf_counter()
                with runtime.engine.begin() as connection:
                    connection.execute(sa.text(_INSERT_LINE.format(table="stage_history")), rows)
                timings[protected].append(time.perf_counter() - started)
                with runtime.engine.begin() as connection:
                    for name, sql in triggers:
                        if protected:
                            on = "" if backend == "sqlite" else " ON stage_history"
                            connection.execute(sa.text(f"DROP TRIGGER {name}{on}"))
                        else:
                            connection.execute(sa.text(sql))
        protected_time, bare = sorted(timings[True])[1], sorted(timings[False])[1]
        print(f"  append {lines} lines: {len(triggers)} triggers {protected_time:.3f} s, none {bare:.3f} s")
        return protected_time / bare


def verify_seconds(backend: str, folder: Path, cases: int) -> float:
    with database(backend, folder, f"verify{cases}") as runtime:
        fill(runtime, cases)
        verify_histories(runtime)  # warm-up
        started = time.perf_counter()
        result = verify_histories(runtime)
        elapsed = time.perf_counter() - started
        assert result.clean and result.replayed["case"] == cases, result.findings[:3]
        print(f"  verify {cases} cases: {elapsed:.3f} s ({elapsed / cases * 1e6:.0f} us per case)")
        return elapsed


def reachable() -> bool:
    try:
        engine = sa.create_engine(ADMIN, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - no server: the backend is skipped
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    options = parser.parse_args()
    backends = ["sqlite", "postgresql"] if options.backend == "both" else [options.backend]
    for backend in backends:
        if backend == "postgresql" and not reachable():
            print("postgresql: not reachable, skipped")
            continue
        print(f"{backend}:")
        with tempfile.TemporaryDirectory() as folder:
            ratio = append_ratio(backend, Path(folder), options.lines)
            small = verify_seconds(backend, Path(folder), options.small)
            large = verify_seconds(backend, Path(folder), options.large)
        scaling = (large / options.large) / (small / options.small)
        print(f"  append ratio with/without the triggers: {ratio:.2f} (1.0 = free)")
        print(f"  verify time per case, {options.large} vs {options.small} cases: {scaling:.2f} (1.0 = linear)")


if __name__ == "__main__":
    main()
