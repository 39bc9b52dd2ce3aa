"""What the CPD ledger accepts (states/cpd_ledger.py): dates in range, no self-declared lecturer, recognition by
society staff, and the natural key that keeps one row per activity."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from capeval.states.cpd import Cpd2024Policy, CpdRecord, LecturerPeriod, parse_activity
from capeval.states.cpd_ledger import LEDGER_GUARDS, Entry, LedgerFacts, check_entries, natural_key
from capeval.states.errors import GuardRefused

ISSUED, EXPIRES = date(2026, 3, 2), date(2031, 3, 1)


def facts(raw: dict[str, Any], today: date = date(2026, 6, 1), **more: Any) -> LedgerFacts:
    activity = parse_activity(raw, "activities[0]")
    values: dict[str, Any] = {"by_staff": False, "by_holder": True, **more}
    return LedgerFacts(
        Entry("activities[0]", activity, frozenset(raw)),
        "CE-CES-ELEC-2026-00001",
        ISSUED,
        EXPIRES,
        today,
        "CES",
        "申请人1",
        **values,
    )


def training(on: str, **more: Any) -> dict[str, Any]:
    return {"kind": "training", "date": on, "minutes": 90, **more}


def reasons(batch: list[LedgerFacts]) -> list[str]:
    with pytest.raises(GuardRefused) as refused:
        check_entries(batch)
    return [name for name, _ in refused.value.refusals]


def test_every_rule_of_the_ledger_names_its_article() -> None:
    assert all(guard.source for guard in LEDGER_GUARDS)


@pytest.mark.parametrize(("on", "today"), [("2026-03-02", "2026-03-02"), ("2026-06-01", "2026-06-01")])
def test_an_activity_from_issue_to_today_is_accepted(on: str, today: str) -> None:
    check_entries([facts(training(on), date.fromisoformat(today))])


@pytest.mark.parametrize(
    ("on", "today", "text"),
    [
        ("2026-06-02", "2026-06-01", "dated after today 2026-06-01"),
        ("2030-05-01", "2026-06-01", "dates allowed for CE-CES-ELEC-2026-00001 now: 2026-03-02 to 2026-06-01"),
        ("2026-03-01", "2026-06-01", "outside the validity of CE-CES-ELEC-2026-00001"),
        ("2031-03-02", "2031-04-01", "dates allowed: 2026-03-02 to 2031-03-01"),
    ],
)
def test_an_activity_after_today_or_outside_validity_is_refused_naming_it_and_the_range(
    on: str, today: str, text: str
) -> None:
    with pytest.raises(GuardRefused, match=text) as refused:
        check_entries([facts(training(on), date.fromisoformat(today))])
    assert str(refused.value).startswith(f"activities[0] (training, {on})")


def test_the_first_entry_that_breaks_a_rule_refuses_the_batch() -> None:
    good, bad = facts(training("2026-05-01")), facts(training("2027-01-01"))
    assert reasons([good, bad, good]) == ["dated_within_validity_and_by_today"]


def test_a_member_typed_lecturer_qualification_is_refused() -> None:
    assert reasons([facts({**training("2026-05-01"), "qualified_lecturer": False})]) == ["lecturer_recorded_by_society"]


@pytest.mark.parametrize(
    "raw",
    [
        {"kind": "seminar", "date": "2026-05-01", "minutes": 450, "organizer": "outside"},
        {"kind": "paper", "date": "2026-05-01", "credited_hours": 10},
    ],
)
def test_hours_the_society_decides_are_recognized_by_its_staff_never_by_the_holder(raw: dict[str, Any]) -> None:
    assert reasons([facts(raw, by_holder=True, by_staff=True)]) == ["recognized_by_society_staff"]
    assert reasons([facts(raw, by_holder=False, by_staff=False)]) == ["recognized_by_society_staff"]
    check_entries([facts(raw, by_holder=False, by_staff=True)])


@pytest.mark.parametrize("organizer", [None, "society", "federation", "platform"])
def test_activities_of_the_society_the_federation_or_its_platform_are_recorded_by_the_member(
    organizer: str | None,
) -> None:
    raw = training("2026-05-01", **({"organizer": organizer} if organizer else {}))
    check_entries([facts(raw, by_holder=True, by_staff=False)])


def test_the_natural_key_is_the_same_activity_whoever_typed_it_and_however() -> None:
    one = parse_activity(training("2026-05-01", title="工程伦理（在线课程）", online=True), "a")
    same = parse_activity(
        training("2026-05-01", title="  工程伦理(在线课程) ", evidence="x.csv", organizer="platform"), "b"
    )
    assert natural_key(one) == natural_key(same)
    for other in (
        dataclasses.replace(one, on=date(2026, 5, 2)),
        dataclasses.replace(one, kind="seminar"),
        dataclasses.replace(one, title="项目管理"),
        dataclasses.replace(one, minutes=91),
        dataclasses.replace(one, days=1),
        dataclasses.replace(one, credited_hours=2),
    ):
        assert natural_key(other) != natural_key(one)


def test_teaching_doubles_only_inside_a_recorded_qualification() -> None:
    teaching = [
        parse_activity({"kind": "teaching", "date": day, "minutes": 450}, "a")
        for day in ("2026-03-31", "2026-04-01", "2026-09-30", "2026-10-01")
    ]
    period = LecturerPeriod(date(2026, 4, 1), date(2026, 9, 30))
    evaluation = Cpd2024Policy().evaluate(CpdRecord("张工", 2026, tuple(teaching), lecturer=(period,)))
    assert [line.hours for line in evaluation.lines] == [10, 20, 20, 10]
    assert "recorded by the society since 2026-04-01 until 2026-09-30" in evaluation.lines[1].rule
