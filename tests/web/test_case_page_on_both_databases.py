"""The case page is the same page on SQLite and PostgreSQL, for every person and every case of the same data
(review tasks, an interview with its panel, open deadlines, history, periods of practice, kept documents),
and it is read in one statement besides the guards' facts."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from capeval.models import Person
from capeval.models.local_document_store import LocalDocumentStore
from capeval.services.case_documents import keep_upload
from capeval.services.case_page import CaseView, case_view
from capeval.services.handlers import handle
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.clock import FixedClock
from capeval.states.commands import EvidenceRef, TakeAction
from capeval.states.errors import CapevalError
from capeval.states.work_experience import ExperiencePeriod, PracticeStage

from ..factories import application_order, at, load_society, minimal_pdf, tiny_png
from ..runtimes import new_runtime
from .support import MEMBERS, WORKGROUP, populate

FILED = 9
"""The member whose case is handed in with kept files and periods of practice."""
PERIODS = (
    ExperiencePeriod(date(2012, 7, 1), date(2018, 6, 30), "某电力设计院", "电气工程师"),
    ExperiencePeriod(date(2018, 9, 1), date(2021, 6, 30), "某大学", "研究生", PracticeStage.MASTER),
    ExperiencePeriod(date(2021, 7, 1), None, "某电网公司", "高级工程师"),
)

Pages = dict[tuple[str, int], CaseView | str]


def filled(url: str, folder: Path) -> tuple[Runtime, dict[int, int]]:
    """A runtime on `url` with the console's test data and one more case, handed in with kept files and
    periods of practice and accepted for review."""
    runtime = new_runtime(url, clock=FixedClock(at("2026-01-05")))
    runtime.store = LocalDocumentStore(folder)
    cases = populate(runtime)
    load_society(runtime, [*MEMBERS, FILED])
    files = (
        ("id_card_front", keep_upload(runtime, minimal_pdf("front"), "id-front.pdf")),
        ("id_card_back", keep_upload(runtime, tiny_png(), "id-back.png")),
        ("education", keep_upload(runtime, minimal_pdf("diploma"), "diploma.pdf")),
    )
    evidence = (*(EvidenceRef(kind, f"scans/{s.filename}", document=s) for kind, s in files),)
    order = dataclasses.replace(
        application_order(FILED, evidence=(*evidence, EvidenceRef("work_experience", "letter.pdf"))),
        work_experience=PERIODS,
    )
    created = handle(runtime, order)
    handle(runtime, TakeAction(created.case_id, Action.SUBMIT, created.applicant or ""))
    handle(runtime, TakeAction(created.case_id, Action.ACCEPT_FOR_REVIEW, "王秘书"))
    cases[FILED] = created.case_id
    return runtime, cases


def pages(runtime: Runtime, cases: dict[int, int]) -> Pages:
    """Every person's case page of every case, or the code of the error it refuses them with."""
    with runtime.engine.connect() as connection:
        people = connection.execute(sa.select(Person.id, Person.username).order_by(Person.id)).all()
    found: Pages = {}
    for person_id, username in people:
        for case_id in [*cases.values(), max(cases.values()) + 1]:
            try:
                found[(username, case_id)] = case_view(runtime, person_id, case_id)
            except CapevalError as error:
                found[(username, case_id)] = error.code
    return found


@pytest.fixture
def both(tmp_path: Path, postgres_url: str) -> Iterator[tuple[Pages, Pages]]:
    on_sqlite, sqlite_cases = filled(f"sqlite:///{tmp_path / 'capeval.db'}", tmp_path / "sqlite-documents")
    on_postgres, postgres_cases = filled(postgres_url, tmp_path / "postgres-documents")
    try:
        assert sqlite_cases == postgres_cases
        yield pages(on_sqlite, sqlite_cases), pages(on_postgres, postgres_cases)
    finally:
        on_sqlite.engine.dispose()
        on_postgres.engine.dispose()


@pytest.mark.postgres
def test_every_person_sees_the_same_case_page_on_both_databases(both: tuple[Pages, Pages]) -> None:
    on_sqlite, on_postgres = both
    assert on_sqlite.keys() == on_postgres.keys()
    for key, page in on_sqlite.items():
        assert on_postgres[key] == page, key
    shown = [page for page in on_sqlite.values() if isinstance(page, CaseView)]
    refused = {page for page in on_sqlite.values() if isinstance(page, str)}
    assert refused == {"console_case_not_yours", "lookup_case_missing"}
    assert any(page.tasks for page in shown) and any(view.panel for page in shown for view in page.interviews)
    assert any(page.detail["deadlines"] for page in shown) and all(page.detail["history"] for page in shown)
    filed = [page for page in shown if len(page.detail["work_experience"]) == len(PERIODS)]
    assert filed and [period["until"] for period in filed[0].detail["work_experience"]] == [
        period.ends_on for period in PERIODS
    ]
    kept = [doc for page in filed if page.documents for doc in page.documents if doc.digest is not None]
    assert {doc.media_type for doc in kept} == {"application/pdf", "image/png"}


def test_the_case_page_is_one_statement_when_no_action_needs_the_stored_facts(runtime: Runtime) -> None:
    cases = populate(runtime)
    with runtime.engine.connect() as connection:
        people = dict(connection.execute(sa.select(Person.username, Person.id)).tuples().all())
    sent: list[str] = []

    def before(_c: object, _cur: object, statement: str, *_rest: object) -> None:
        sent.append(statement)

    sa.event.listen(runtime.engine, "before_cursor_execute", before)
    try:
        seen = case_view(runtime, people["p1"], cases[1])
        alone = len(sent)
        sent.clear()
        guarded = case_view(runtime, people[WORKGROUP], cases[1])
    finally:
        sa.event.remove(runtime.engine, "before_cursor_execute", before)
    assert seen.options and alone == 1
    assert guarded.options and guarded.tasks == [] and 1 < len(sent) <= 4
