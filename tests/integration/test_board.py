"""The case board: a page at a time in case-id order, filtered, with its counts, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa

from capeval.services import queries
from capeval.services.handlers import handle
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.errors import InputError, NotFoundError

from ..factories import SOCIETY, act, application_order, load_society, submitted_case


@contextmanager
def parameters_bound(runtime: Runtime) -> Iterator[list[int]]:
    """The number of parameters each statement sent while inside binds."""
    counts: list[int] = []

    def before(_c: Any, _cur: Any, _s: str, parameters: Any, _ctx: Any, _many: bool) -> None:
        counts.append(len(parameters or ()))

    sa.event.listen(runtime.engine, "before_cursor_execute", before)
    try:
        yield counts
    finally:
        sa.event.remove(runtime.engine, "before_cursor_execute", before)


def test_the_board_pages_through_every_case_in_id_order(runtime: Runtime) -> None:
    load_society(runtime, members=[1, 2, 3, 4, 5])
    cases = [submitted_case(runtime, serial) for serial in (1, 2, 3, 4, 5)]

    seen, after, pages = [], None, 0
    while True:
        page = queries.board(runtime, after=after, limit=2)
        seen += [row.case_id for row in page.rows]
        pages += 1
        if page.next_after is None:
            break
        after = page.next_after

    assert seen == sorted(cases) and pages == 3
    assert queries.board(runtime, limit=5).next_after is None


def test_a_page_shows_whom_the_case_waits_on_and_its_open_deadline(runtime: Runtime) -> None:
    load_society(runtime, members=[1, 2])
    returned, waiting = submitted_case(runtime, 1), submitted_case(runtime, 2)
    act(runtime, returned, Action.RETURN_FOR_REVISION, "学历证明模糊")

    rows = {row.case_id: row for row in queries.board(runtime).rows}

    assert (rows[returned].stage, rows[returned].waiting_on) == ("returned", "applicant")
    assert rows[returned].due_on is not None and rows[waiting].due_on is None
    assert rows[waiting].society == SOCIETY and rows[waiting].applicant


def test_filters_and_counts_by_stage_cover_the_filtered_cases_only(runtime: Runtime) -> None:
    load_society(runtime, members=[1, 2, 3])
    draft = handle(runtime, application_order(1)).case_id
    first, second = submitted_case(runtime, 2), submitted_case(runtime, 3)

    everything = queries.board(runtime, counts=True)
    submitted = queries.board(runtime, SOCIETY, stages=["submitted"], limit=1, counts=True)

    assert everything.counts_by_stage == {"draft": 1, "submitted": 2}
    assert [row.case_id for row in submitted.rows] == [first] and submitted.next_after == first
    assert submitted.counts_by_stage == {"submitted": 2}
    assert [r.case_id for r in queries.board(runtime, stages=["submitted"], after=first).rows] == [second]
    assert queries.board(runtime, field="no-such-field").rows == []
    assert draft not in {row.case_id for row in submitted.rows}
    assert queries.board(runtime).counts_by_stage is None


def test_a_page_binds_no_parameter_per_case(runtime: Runtime) -> None:
    load_society(runtime, members=list(range(1, 9)))
    for serial in range(1, 9):
        submitted_case(runtime, serial)

    with parameters_bound(runtime) as counts:
        page = queries.board(runtime, SOCIETY, stages=["submitted"], limit=8, counts=True)

    assert len(page.rows) == 8
    assert max(counts) < 8


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"limit": 0}, "board_limit_invalid"),
        ({"limit": queries.BOARD_PAGE_MAX + 1}, "board_limit_invalid"),
        ({"after": -1}, "board_after_invalid"),
        ({"stages": ["nowhere"]}, "board_stage_unknown"),
    ],
)
def test_a_bad_page_request_is_refused_with_its_reason(runtime: Runtime, options: dict[str, Any], code: str) -> None:
    with pytest.raises(InputError) as refused:
        queries.board(runtime, **options)
    assert refused.value.code == code


def test_an_unknown_society_is_not_found(runtime: Runtime) -> None:
    with pytest.raises(NotFoundError):
        queries.board(runtime, "NOPE")


def test_of_several_societies_the_unknown_one_is_named(runtime: Runtime) -> None:
    load_society(runtime, [1])
    with pytest.raises(NotFoundError) as refused:
        queries.board(runtime, society_codes=[SOCIETY, "NOPE"])
    assert refused.value.code == "lookup_society_missing"
    assert "NOPE" in refused.value.text("en")
