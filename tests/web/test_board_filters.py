"""The console board's filters run in the database: due within N working days, overdue, field, society,
and its cursor, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from capeval.models.cases import Application, Deadline
from capeval.models.migrate import current_revision, head_revision, migrate, upgrade
from capeval.models.tables import table_of
from capeval.services import accounts, console, console_desks, queries
from capeval.services.runtime import Runtime
from capeval.states.application import Action

from ..factories import SOCIETY, act, load_society, submitted_case
from .support import PASSWORD, app_client, sign_in

SECRETARIAT = console.Viewer(0, "sec", "秘书处员", secretariat=True)
WORKGROUP = console.Viewer(0, "wg", "王秘书", workgroup_of=(SOCIETY,))
DUE = [date(2026, 1, 2), date(2026, 1, 9), date(2026, 1, 10), date(2026, 1, 12), date(2026, 2, 20)]
"""Open deadlines of the returned cases; today is 2026-01-05."""


@pytest.fixture
def cases(runtime: Runtime) -> dict[int, date | None]:
    load_society(runtime, members=list(range(1, 8)))
    made = [submitted_case(runtime, serial) for serial in range(1, 8)]
    deadline = table_of(Deadline)
    due: dict[int, date | None] = {case_id: None for case_id in made}
    for case_id, day in zip(made, DUE, strict=False):
        act(runtime, case_id, Action.RETURN_FOR_REVISION, "学历证明模糊")
        with runtime.engine.begin() as connection:
            connection.execute(sa.update(deadline).where(deadline.c.application_id == case_id).values(due_on=day))
        due[case_id] = day
    return due


def _left(runtime: Runtime, day: date) -> int:
    with runtime.unit_of_work() as uow:
        calendar = runtime.calendar(uow)
    today = runtime.today()
    return calendar.working_days_between(today, day) if day >= today else -calendar.working_days_between(day, today)


def _ids(runtime: Runtime, who: console.Viewer, wanted: console.BoardFilter) -> list[int]:
    return [line.row.case_id for line in console.board_page(runtime, who, wanted).lines]


@pytest.mark.parametrize("within", [0, 4, 5, 30])
def test_due_within_keeps_exactly_the_cases_showing_that_many_working_days_or_fewer(
    runtime: Runtime, cases: dict[int, date | None], within: int
) -> None:
    expected = sorted(c for c, day in cases.items() if day is not None and _left(runtime, day) <= within)
    found = console.board_page(runtime, WORKGROUP, console.BoardFilter(due_within=within))
    assert [line.row.case_id for line in found.lines] == expected
    assert all(line.working_days_left is not None and line.working_days_left <= within for line in found.lines)
    assert found.total == len(expected) and found.counts == ({"returned": len(expected)} if expected else {})


def test_overdue_keeps_the_cases_due_before_today(runtime: Runtime, cases: dict[int, date | None]) -> None:
    overdue = [c for c, day in cases.items() if day is not None and day < runtime.today()]
    found = console.board_page(runtime, SECRETARIAT, console.BoardFilter(overdue=True))
    assert [line.row.case_id for line in found.lines] == overdue
    assert found.lines[0].working_days_left is not None and found.lines[0].working_days_left < 0


def test_the_cursor_walks_the_filtered_cases_a_page_at_a_time(
    runtime: Runtime, cases: dict[int, date | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(console, "BOARD_PAGE_SIZE", 2)
    seen: list[int] = []
    after = None
    while True:
        page = console.board_page(runtime, WORKGROUP, console.BoardFilter(stages=("returned",), after=after))
        assert page.total == len(DUE) and len(page.lines) <= 2
        seen += [line.row.case_id for line in page.lines]
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == sorted(c for c, day in cases.items() if day is not None)


def test_field_and_society_narrow_the_board(runtime: Runtime, cases: dict[int, date | None]) -> None:
    everything = _ids(runtime, SECRETARIAT, console.BoardFilter(society=SOCIETY))
    assert everything == sorted(cases)
    assert _ids(runtime, WORKGROUP, console.BoardFilter(field="no-such-field")) == []


def test_the_committee_desk_pages_its_cases_with_a_cursor(
    runtime: Runtime, cases: dict[int, date | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    waiting = sorted(cases)[:3]
    application = table_of(Application)
    with runtime.engine.begin() as connection:
        connection.execute(sa.update(application).where(application.c.id.in_(waiting)).values(stage="committee_review"))
    monkeypatch.setattr(console_desks, "COMMITTEE_PAGE_SIZE", 2)
    first = console_desks.committee_desk(runtime, SECRETARIAT)
    assert [case.row.case_id for case in first.cases] == waiting[:2] and first.next_after == waiting[1]
    rest = console_desks.committee_desk(runtime, SECRETARIAT, first.next_after)
    assert [case.row.case_id for case in rest.cases] == waiting[2:] and rest.next_after is None


def test_due_counts_take_each_case_once_by_its_open_deadlines_only(
    runtime: Runtime, cases: dict[int, date | None]
) -> None:
    first, second, *_ = sorted(c for c, day in cases.items() if day is not None)
    undated = next(c for c, day in cases.items() if day is None)
    deadline = table_of(Deadline)
    extra = {"kind": "resubmission", "created_at": runtime.clock.now()}
    with runtime.engine.begin() as connection:
        connection.execute(
            sa.insert(deadline),
            [
                {**extra, "application_id": first, "due_on": date(2026, 1, 3), "status": "open"},
                {**extra, "application_id": undated, "due_on": date(2025, 12, 1), "status": "met"},
                {**extra, "application_id": second, "due_on": date(2025, 12, 1), "status": "met"},
            ],
        )
    for wanted in (console.BoardFilter(due_within=4), console.BoardFilter(overdue=True)):
        for both in (wanted, console.BoardFilter(due_within=4, overdue=True)):
            found = console.board_page(runtime, SECRETARIAT, both)
            shown = [line.row.case_id for line in found.lines]
            assert undated not in shown and len(shown) == len(set(shown))
            assert found.counts == ({"returned": len(shown)} if shown else {}) and found.total == len(shown)
    overdue = console.board_page(runtime, SECRETARIAT, console.BoardFilter(overdue=True))
    assert [line.row.case_id for line in overdue.lines] == [first]


@pytest.mark.parametrize("within", [0, 4, 30])
def test_the_query_board_counts_the_same_due_cases_as_the_console(
    runtime: Runtime, cases: dict[int, date | None], within: int
) -> None:
    with runtime.unit_of_work() as uow:
        calendar = runtime.calendar(uow)
    due_by = calendar.add_working_days(runtime.today(), within + 1) - timedelta(days=1)
    listed = queries.board(runtime, SOCIETY, counts=True, due_by=due_by)
    shown = console.board_page(runtime, WORKGROUP, console.BoardFilter(due_within=within))
    assert [row.case_id for row in listed.rows] == [line.row.case_id for line in shown.lines]
    assert listed.counts_by_stage == shown.counts


def test_the_deadline_index_carries_the_case_and_its_migration_goes_both_ways(runtime: Runtime) -> None:
    def indexes() -> set[str]:
        return {index["name"] for index in sa.inspect(runtime.engine).get_indexes("deadline")}

    assert "ix_deadline_status_due_case" in indexes() and "ix_deadline_status_due" not in indexes()
    migrate(runtime.engine, "0020_stage_counts")
    assert "ix_deadline_status_due" in indexes() and "ix_deadline_status_due_case" not in indexes()
    assert upgrade(runtime.engine)
    assert current_revision(runtime.engine) == head_revision()
    assert "ix_deadline_status_due_case" in indexes() and "ix_deadline_status_due" not in indexes()
    with runtime.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []


def _capped_at(runtime: Runtime, cap: int) -> Runtime:
    return dataclasses.replace(runtime, settings=runtime.settings.model_copy(update={"board_count_cap": cap}))


def test_a_due_count_within_its_cap_is_exact_and_one_past_it_a_lower_bound_on_the_same_page(
    runtime: Runtime, cases: dict[int, date | None]
) -> None:
    wanted = console.BoardFilter(due_within=30)
    matching = len([day for day in cases.values() if day is not None])
    exact = console.board_page(_capped_at(runtime, matching), SECRETARIAT, wanted)
    assert exact.counts == {"returned": matching} and exact.total == matching and not exact.capped
    for cap in (matching - 1, 1):
        capped = console.board_page(_capped_at(runtime, cap), SECRETARIAT, wanted)
        assert capped.capped and capped.count_cap == cap and capped.total == cap + 1
        assert capped.counts == {"returned": cap + 1}
        assert capped.lines == exact.lines and capped.next_after == exact.next_after
    plain = console.board_page(_capped_at(runtime, 1), SECRETARIAT, console.BoardFilter())
    assert not plain.capped and plain.total == len(cases)


def test_the_query_board_marks_a_capped_count_and_leaves_its_rows_alone(
    runtime: Runtime, cases: dict[int, date | None]
) -> None:
    due_by = date(2026, 12, 31)
    exact = queries.board(_capped_at(runtime, 5), SOCIETY, counts=True, due_by=due_by)
    assert exact.counts_by_stage == {"returned": 5} and not exact.counts_capped and exact.count_cap == 5
    capped = queries.board(_capped_at(runtime, 3), SOCIETY, counts=True, due_by=due_by)
    assert capped.counts_by_stage == {"returned": 4} and capped.counts_capped and capped.count_cap == 3
    assert capped.rows == exact.rows and capped.next_after == exact.next_after
    uncounted = queries.board(_capped_at(runtime, 3), SOCIETY, due_by=due_by)
    assert uncounted.counts_by_stage is None and not uncounted.counts_capped


def test_the_board_page_and_the_api_say_more_than_the_cap_in_both_languages_and_exact_counts_within_it(
    runtime: Runtime, cases: dict[int, date | None]
) -> None:
    accounts.set_password(runtime, "p900", PASSWORD)
    matching = len([day for day in cases.values() if day is not None])
    for cap in (matching - 1, matching):
        with app_client(_capped_at(runtime, cap)) as client:
            sign_in(client, "p900")
            chinese = client.get("/board", params={"due_within": 30}).text.split('class="counts"')[1]
            english = client.get("/board", params={"due_within": 30, "lang": "en"}).text.split('class="counts"')[1]
            token = client.post("/api/token", data={"username": "p900", "password": PASSWORD}).json()
            answer = client.get(
                "/api/v1/cases", params={"due_within": 30}, headers={"Authorization": f"Bearer {token['access_token']}"}
            ).json()
        if cap < matching:
            assert f"超过{cap}件" in chinese and f"至少{matching}" in chinese
            assert f"more than {cap} cases" in english and f"at least {matching}" in english
            assert answer["capped"] is True and answer["total"] == cap + 1 and answer["count_cap"] == cap
        else:
            assert f"共{matching}件" in chinese and "超过" not in chinese and "至少" not in chinese
            assert f"{matching} cases" in english and "more than" not in english and "at least" not in english
            assert answer["capped"] is False and answer["total"] == matching
        assert answer["counts"] == {"returned": answer["total"]} and len(answer["items"]) == matching


def test_the_api_documents_when_its_counts_are_capped(runtime: Runtime) -> None:
    with app_client(runtime) as client:
        schema = client.get("/api/openapi.json").json()["components"]["schemas"]["BoardAnswer"]
    assert schema["properties"]["capped"]["type"] == "boolean"
    assert "lower bound" in schema["properties"]["capped"]["description"]
    assert {"counts", "total", "capped", "count_cap", "next_after", "items"} <= set(schema["required"])
