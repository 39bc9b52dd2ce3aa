#!/usr/bin/env python
"""Time per examiner assignment, and how it grows with the number of examiners (target: close to flat).

Run:  python bench/examiner_assignment.py [--cases 10000] [--small 200] [--large 2000]
                                          [--backend sqlite|postgresql] [--relations 5]

For each examiner count a fresh database is made (SQLite in a temporary folder, or a new PostgreSQL
database dropped at the end) and filled in bulk: one society and field, the examiners (at 60 employers),
`--cases` applicants whose cases stand in material review (their employers drawn from the same 60, so
about 1 in 60 examiners shares an employer with any applicant), plus, per case, `--relations` declared relations
(supervisor, collaborator, family, other) between the applicant and examiners chosen at random; a fifth of
them with the least-loaded examiners, so that the chooser meets conflicts at the head of the load order.
Then every case gets its examiners through `services.review.assign` (one transaction each: the load
index walk, conflict checks on the candidates, the tasks, their history, load updates and invitation
notices). Printed: time per assignment at each size, and the ratio large/small (1.0 = flat).
"""

from __future__ import annotations

import argparse
import random
import secrets
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

from capeval.models import (
    Application,
    DeclaredRelation,
    Examiner,
    Person,
    Society,
    SocietyField,
    StaffAssignment,
    StageHistory,
)
from capeval.services import review
from capeval.services.bootstrap import init_runtime
from capeval.services.runtime import Runtime
from capeval.settings import Settings
from capeval.states.clock import SHANGHAI, FixedClock

DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
FIELD = "electrical"
WORKGROUP = "bench-workgroup"
"""The username of the workgroup member of the society who assigns every case."""
EMPLOYERS = [f"单位{n:02d}" for n in range(60)]
STATEMENTS_TARGET = 8


def _insert(runtime: Runtime, table: type, rows: list[dict[str, object]]) -> None:
    with runtime.engine.begin() as connection:
        for start in range(0, len(rows), 5000):
            connection.execute(sa.insert(table.__table__), rows[start : start + 5000])  # type: ignore[attr-defined]


def _people(first: int, count: int, prefix: str, rng: random.Random, now: datetime) -> list[dict[str, object]]:
    return [
        {
            "id": first + n,
            "username": f"{prefix}-{first + n}",
            "name": f"{prefix}{n}",
            "id_number_digest": f"{prefix}-{first + n}",
            "id_number_masked": "110***********0000",
            "email": f"{prefix}{n}@example.cn",
            "language": "zh-CN",
            "employer": rng.choice(EMPLOYERS),
            "created_at": now,
        }
        for n in range(count)
    ]


def populate(runtime: Runtime, examiners: int, cases: int, relations_per_case: int, seed: int = 7) -> list[int]:
    """Fill a fresh database in bulk; returns the case ids."""
    rng, now = random.Random(seed), runtime.clock.now()
    _insert(runtime, Society, [{"id": 1, "code": "BEN", "name_zh": "基准学会", "name_en": "", "email": ""}])
    _insert(runtime, SocietyField, [{"society_id": 1, "field_code": FIELD, "authorized_on": date(2024, 1, 1)}])
    _insert(runtime, Person, _people(1, examiners, "考官", rng, now))
    staff = examiners + cases + 1
    _insert(runtime, Person, [{**_people(staff, 1, "工作组", rng, now)[0], "username": WORKGROUP}])
    _insert(runtime, StaffAssignment, [{"person_id": staff, "role": "workgroup", "society_id": 1}])
    _insert(
        runtime,
        Examiner,
        [
            {
                "person_id": 1 + n,
                "society_id": 1,
                "field_code": FIELD,
                "level": "senior",
                "active": True,
                "open_tasks": 0,
                "last_assigned_at": datetime(2000, 1, 1, tzinfo=UTC),
            }
            for n in range(examiners)
        ],
    )
    first_applicant = examiners + 1
    _insert(runtime, Person, _people(first_applicant, cases, "申请人", rng, now))
    _insert(
        runtime,
        Application,
        [
            {
                "id": 1 + n,
                "person_id": first_applicant + n,
                "society_id": 1,
                "field_code": FIELD,
                "level": "professional",
                "route": "standard",
                "stage": "material_review",
                "version": 3,
                "batch": "bench",
                "self_statement": "",
                "last_reason": "",
                "created_at": now,
                "updated_at": now,
            }
            for n in range(cases)
        ],
    )
    _insert(
        runtime,
        StageHistory,
        [
            {
                "application_id": 1 + n,
                "version": 3,
                "from_stage": "submitted",
                "to_stage": "material_review",
                "action": "accept_for_review",
                "actor": "工作组0",
                "actor_id": staff,
                "reason": "",
                "at": now,
            }
            for n in range(cases)
        ],
    )
    kinds = ("supervisor", "collaborator", "family", "other")
    relations = []
    for n in range(cases):
        head = {1 + (2 * n + k) % examiners for k in range(max(1, relations_per_case // 5))}
        chosen = head | set(rng.sample(range(1, examiners + 1), relations_per_case - len(head)))
        for examiner_person in chosen:
            relations.append(
                {
                    "examiner_person_id": examiner_person,
                    "other_person_id": first_applicant + n,
                    "kind": rng.choice(kinds),
                    "until": None,
                    "note": "",
                    "declared_at": now,
                }
            )
    _insert(runtime, DeclaredRelation, relations)
    with runtime.engine.begin() as connection:  # planner statistics, as autovacuum would gather them
        connection.execute(sa.text("ANALYZE"))
    return list(range(1, cases + 1))


class StatementCounter:
    """Counts the statements an engine sends (and which kinds), while `counting` is set."""

    def __init__(self, engine: sa.Engine) -> None:
        self.count = 0
        self.kinds: Counter[str] = Counter()
        self.counting = False
        sa.event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _c: object, _cur: object, statement: str, _p: object, _ctx: object, _many: bool) -> None:
        if self.counting:
            self.count += 1
            words = statement.split()
            table = next((w for w in words[1:] if w.islower() and "." not in w and w.isidentifier()), "?")
            self.kinds[f"{words[0]} {table}"] += 1


def measure(url: str, examiners: int, cases: int, relations_per_case: int) -> tuple[float, int, StatementCounter]:
    """Seconds per assignment over every case, how many tasks were made, and the statements sent."""
    clock = FixedClock(datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI))
    runtime = init_runtime(Settings.load(database_url=url), clock=clock)
    try:
        case_ids = populate(runtime, examiners, cases, relations_per_case)
        for case_id in case_ids[:50]:  # warm-up: caches, calendar, statement compilation
            review.assign(runtime, case_id, WORKGROUP)
        counter = StatementCounter(runtime.engine)
        started = time.perf_counter()
        made = 0
        counter.counting = True
        for case_id in case_ids[50:]:
            made += len(review.assign(runtime, case_id, WORKGROUP))
        counter.counting = False
        elapsed = time.perf_counter() - started
    finally:
        runtime.engine.dispose()
    return elapsed / max(1, len(case_ids) - 50), made, counter


def _database(backend: str, folder: Path, name: str, admin: sa.Engine | None) -> str:
    if backend == "sqlite":
        return f"sqlite:///{folder / (name + '.db')}"
    assert admin is not None
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return sa.make_url(DEFAULT_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=200)
    parser.add_argument("--large", type=int, default=2_000)
    parser.add_argument("--relations", type=int, default=5, help="declared relations per applicant")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--quick", action="store_true", help="1,000 cases")
    parser.add_argument("--kinds", action="store_true", help="print the statements per assignment by kind")
    options = parser.parse_args(argv)
    if options.quick:
        options.cases = 1_000
    admin = sa.create_engine(DEFAULT_ADMIN_URL, isolation_level="AUTOCOMMIT") if options.backend != "sqlite" else None
    names: list[str] = []
    results: dict[int, float] = {}
    statements: dict[int, float] = {}
    try:
        with tempfile.TemporaryDirectory() as folder:
            for size in (options.small, options.large):
                name = f"capeval_bench_{secrets.token_hex(4)}"
                names.append(name)
                url = _database(options.backend, Path(folder), name, admin)
                per, made, counter = measure(url, size, options.cases, options.relations)
                results[size] = per
                assignments = max(1, options.cases - 50)
                statements[size] = counter.count / assignments
                print(
                    f"{options.backend}: {size:>5} examiners, {options.cases} cases: "
                    f"{per * 1000:.2f} ms per assignment ({made} tasks), "
                    f"{statements[size]:.1f} statements per assignment"
                )
                if options.kinds:
                    for kind, n in counter.kinds.most_common():
                        print(f"    {n / assignments:6.2f}  {kind}")
    finally:
        if admin is not None:
            with admin.connect() as connection:
                for name in names:
                    connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    ratio = results[options.large] / results[options.small]
    print(f"ratio (time per assignment at {options.large} / at {options.small} examiners): {ratio:.2f}")
    worst = max(statements.values())
    verdict = (
        "PASS"
        if worst <= STATEMENTS_TARGET and statements[options.large] <= statements[options.small] + 0.5
        else "MISS"
    )
    print(
        f"statements per assignment: {statements[options.small]:.1f} at {options.small}, "
        f"{statements[options.large]:.1f} at {options.large} examiners (target <= {STATEMENTS_TARGET}, flat) {verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
