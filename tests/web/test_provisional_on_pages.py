"""The board and the case page mark a deadline in a year with no published schedule as provisional (暂定)
and show an extended deadline with the date first notified (issue 12, parts 1 and 2)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from capeval.services import accounts, deadlines
from capeval.states.application import Action
from capeval.states.clock import FixedClock

from ..factories import act, at, load_society, submitted_case
from ..runtimes import new_runtime
from .support import PASSWORD, WORKGROUP, Console, app_client, sign_in


@pytest.fixture
def late_console(database_url: str) -> Iterator[Console]:
    clock = FixedClock(at("2026-12-16"))
    runtime = new_runtime(database_url, clock=clock)
    load_society(runtime, [1, 2])
    settled = submitted_case(runtime, 1)
    act(runtime, settled, Action.RETURN_FOR_REVISION, "补充学历证明")
    clock.set(at("2026-12-18"))
    provisional = submitted_case(runtime, 2)
    act(runtime, provisional, Action.RETURN_FOR_REVISION, "补充学历证明")
    accounts.set_password(runtime, WORKGROUP, PASSWORD)
    with app_client(runtime) as client:
        yield Console(runtime, clock, client, {1: settled, 2: provisional})
    runtime.engine.dispose()


def _row_of(html: str, case_id: int) -> str:
    start = html.index(f'href="/cases/{case_id}"')
    return html[start : html.index("</tr>", start)]


def test_the_board_marks_only_the_deadline_reaching_2027_as_provisional(late_console: Console) -> None:
    sign_in(late_console.client, WORKGROUP)
    html = late_console.client.get("/board").text
    assert "2027年1月4日 (暂定)" in _row_of(html, late_console.cases[2])
    assert "2026年12月30日" in _row_of(html, late_console.cases[1])
    assert "暂定" not in _row_of(html, late_console.cases[1])


def test_the_case_page_marks_a_provisional_deadline_and_shows_an_extension_with_its_first_date(
    late_console: Console,
) -> None:
    client, cases = late_console.client, late_console.cases
    sign_in(client, WORKGROUP)
    assert "(暂定)" not in client.get(f"/cases/{cases[1]}").text
    page = client.get(f"/cases/{cases[2]}").text
    assert "2027年1月4日" in page and "(暂定)" in page and "原定" not in page
    deadlines.extend(late_console.runtime, cases[1], 3, "申请人住院", WORKGROUP)
    extended = client.get(f"/cases/{cases[1]}").text
    assert "原定 2026年12月30日" in extended
