"""The read side against real databases: plain values for the CLI, the demo and the web console."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from capeval.services import queries
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.errors import NotFoundError

from ..factories import act, load_society, submitted_case
from .test_certificates import registered


def test_the_outbox_listing_filters_by_status_and_template_oldest_first(runtime: Runtime) -> None:
    load_society(runtime, members=[1, 2])
    first, second = submitted_case(runtime, 1), submitted_case(runtime, 2)
    act(runtime, first, Action.RETURN_FOR_REVISION, "学历证明模糊")

    everything = queries.outbox_messages(runtime)
    returned = queries.outbox_messages(runtime, template="application.return_for_revision")

    assert [m.id for m in everything] == sorted(m.id for m in everything)
    assert all(isinstance(m, queries.OutboxEntry) for m in everything)
    assert len(returned) == 1 and returned[0].status == "pending"
    assert {m.template for m in queries.outbox_messages(runtime, status="pending")} >= {
        "application.submit",
        "application.return_for_revision",
    }
    assert queries.outbox_messages(runtime, status="sent") == []
    assert len(queries.outbox_messages(runtime, limit=1)) == 1
    assert queries.outbox_counts(runtime) == {"pending": len(everything)}
    assert second in {c.case_id for c in queries.board(runtime).rows}


def test_a_certificate_reads_as_plain_values_with_its_history(runtime: Runtime) -> None:
    load_society(runtime, members=[1, 2])
    number = registered(runtime, 1)
    case_without = submitted_case(runtime, 2)
    case_with = next(c.case_id for c in queries.board(runtime).rows if c.stage == "registered")

    detail = queries.certificate(runtime, number)

    assert detail.registration_number == number and detail.status == "active"
    assert [(h.change, h.to_status) for h in detail.history] == [("issue", "active")]
    assert dataclasses.asdict(detail)["history"][0]["to_status"] == "active"
    assert queries.certificate_numbers(runtime, [case_with, case_without]) == {case_with: number}
    years = queries.cpd_years(runtime, number)
    assert [y.evaluation.year for y in years] == [detail.issued_on.year] and not years[0].exempt
    with pytest.raises(NotFoundError):
        queries.certificate(runtime, "no-such-number")


def test_the_last_reason_of_a_case_is_read_back(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    case_id = submitted_case(runtime, 1)
    act(runtime, case_id, Action.RETURN_FOR_REVISION, "学历证明模糊")

    assert queries.last_reason(runtime, case_id) == "学历证明模糊"
    assert queries.last_reason(runtime, case_id + 1000) == ""


def test_the_calendar_years_and_the_working_day_calendar_come_from_the_store(runtime: Runtime) -> None:
    years = queries.calendar_years(runtime)
    calendar = queries.working_day_calendar(runtime)

    assert years and all(y.version >= 1 for y in years)
    assert {y.year for y in years} <= set(range(2000, 2100))
    assert not calendar.is_working_day(date(2026, 10, 1))
