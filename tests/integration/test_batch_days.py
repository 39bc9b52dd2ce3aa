"""Evaluation batches with their days (Q&A Q19): a society that declares batches takes a new application
only into a batch open that day; an applicant not passed applies again only in a batch that opens after
the batch of the rejection closed. A society that declares none is not checked."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from capeval.services import batches
from capeval.services.handlers import handle
from capeval.services.runtime import Runtime
from capeval.states.application import Action, Party
from capeval.states.clock import FixedClock
from capeval.states.commands import TakeAction
from capeval.states.errors import GuardRefused, InputError, NotPermitted

from ..factories import ACTOR_OF_PARTY, SOCIETY, act, application_order, at
from ..review_factories import load_review_society


def staff() -> str:
    return ACTOR_OF_PARTY[Party.WORKGROUP]


def submitted(runtime: Runtime, batch: str, serial: int = 1) -> str:
    created = handle(runtime, dataclasses.replace(application_order(serial), batch=batch))
    return handle(runtime, TakeAction(created.case_id, Action.SUBMIT, created.applicant or "")).stage


def try_submit(runtime: Runtime, batch: str, serial: int = 1) -> tuple[int, str]:
    created = handle(runtime, dataclasses.replace(application_order(serial), batch=batch))
    return created.case_id, created.applicant or ""


def declare(runtime: Runtime, name: str, opens_on: date, closes_on: date) -> None:
    batches.open_batch(runtime, SOCIETY, name, opens_on, closes_on, staff())


@pytest.fixture
def society(runtime: Runtime) -> Runtime:
    load_review_society(runtime, members=[1, 2], examiners=3)
    return runtime


def test_a_society_without_declared_batches_takes_an_application_any_day(society: Runtime) -> None:
    assert batches.list_batches(society, SOCIETY) == []
    assert submitted(society, "") == "submitted"


def test_an_application_on_the_last_day_of_an_open_batch_is_taken(society: Runtime, clock: FixedClock) -> None:
    declare(society, "2026年第一批", date(2025, 12, 1), date(2026, 1, 5))
    [line] = batches.list_batches(society, SOCIETY)
    assert (line.name, line.open_today) == ("2026年第一批", True)
    assert submitted(society, "2026年第一批") == "submitted"


def test_an_application_the_day_after_the_batch_closed_is_refused(society: Runtime, clock: FixedClock) -> None:
    declare(society, "2026年第一批", date(2025, 12, 1), date(2026, 1, 4))
    case_id, applicant = try_submit(society, "2026年第一批")
    with pytest.raises(GuardRefused, match="from 2025-12-01 through 2026-01-04, not today") as refused:
        handle(society, TakeAction(case_id, Action.SUBMIT, applicant))
    assert "open today: none" in str(refused.value)


def test_an_application_the_day_before_the_batch_opens_is_refused_and_taken_on_the_day(
    society: Runtime, clock: FixedClock
) -> None:
    declare(society, "2026年第一批", date(2026, 1, 6), date(2026, 3, 31))
    case_id, applicant = try_submit(society, "2026年第一批")
    with pytest.raises(GuardRefused, match="not today"):
        handle(society, TakeAction(case_id, Action.SUBMIT, applicant))
    clock.set(at("2026-01-06"))
    assert handle(society, TakeAction(case_id, Action.SUBMIT, applicant)).stage == "submitted"


def test_a_batch_the_society_never_declared_is_refused_naming_the_open_ones(society: Runtime) -> None:
    declare(society, "2026年第一批", date(2025, 12, 1), date(2026, 1, 31))
    for serial, named in ((1, ""), (2, "2026年第九批")):
        case_id, applicant = try_submit(society, named, serial)
        with pytest.raises(GuardRefused, match="open today: 2026年第一批"):
            handle(society, TakeAction(case_id, Action.SUBMIT, applicant))


def rejected_in(runtime: Runtime, batch: str) -> None:
    case_id, applicant = try_submit(runtime, batch)
    handle(runtime, TakeAction(case_id, Action.SUBMIT, applicant))
    act(runtime, case_id, Action.ACCEPT_FOR_REVIEW)
    assert act(runtime, case_id, Action.FAIL_MATERIAL_REVIEW, "工程实践证明不足").stage == "rejected"


def test_after_a_rejection_a_batch_opening_after_the_first_closed_is_later_and_an_overlapping_one_is_not(
    society: Runtime, clock: FixedClock
) -> None:
    declare(society, "2026年第一批", date(2025, 12, 1), date(2026, 1, 31))
    declare(society, "2026年加急批", date(2026, 1, 31), date(2026, 2, 28))
    declare(society, "2026年第二批", date(2026, 2, 1), date(2026, 3, 31))
    rejected_in(society, "2026年第一批")
    clock.set(at("2026-02-02"))
    case_id, applicant = try_submit(society, "2026年加急批")
    with pytest.raises(GuardRefused, match="which closed on 2026-01-31; '2026年加急批' opens on 2026-01-31"):
        handle(society, TakeAction(case_id, Action.SUBMIT, applicant))
    handle(society, TakeAction(case_id, Action.WITHDRAW, applicant))
    assert submitted(society, "2026年第二批") == "submitted"


def test_closing_a_batch_early_refuses_applications_after_the_new_last_day(society: Runtime, clock: FixedClock) -> None:
    declare(society, "2026年第一批", date(2025, 12, 1), date(2026, 3, 31))
    closed = batches.close_batch(society, SOCIETY, "2026年第一批", date(2026, 1, 4), staff())
    assert (closed.closes_on, closed.open_today) == (date(2026, 1, 4), False)
    case_id, applicant = try_submit(society, "2026年第一批")
    with pytest.raises(GuardRefused, match="through 2026-01-04"):
        handle(society, TakeAction(case_id, Action.SUBMIT, applicant))


def test_only_the_societys_staff_declare_batches_and_the_days_must_be_in_order(society: Runtime) -> None:
    with pytest.raises(NotPermitted):
        batches.open_batch(society, SOCIETY, "2026年第一批", date(2026, 1, 1), date(2026, 1, 31), "申请人1")
    with pytest.raises(InputError, match="before it opens"):
        declare(society, "2026年第一批", date(2026, 2, 1), date(2026, 1, 31))
    declare(society, "2026年第一批", date(2026, 1, 1), date(2026, 1, 31))
    with pytest.raises(InputError, match="already declared"):
        declare(society, "2026年第一批", date(2026, 1, 1), date(2026, 2, 28))
    assert [b.name for b in batches.list_batches(society, SOCIETY)] == ["2026年第一批"]
