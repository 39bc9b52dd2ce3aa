"""Renewal and CPD integrity against real databases: the renewal window, eligibility at renewal, every year
of the term reviewed, activities dated in range, one ledger row per activity, who recognized it, and the
society's record of qualified lecturers."""

from __future__ import annotations

from datetime import date

import pytest

from capeval.models import Certificate, CpdActivity, CpdLecturer, LifetimeBan
from capeval.services import certificates as service
from capeval.services import queries
from capeval.services.runtime import Runtime
from capeval.states.clock import FixedClock
from capeval.states.commands import ApplyForRenewal, GrantCpdExemption, RecordLecturer, RenewCertificate
from capeval.states.cpd import parse_activity
from capeval.states.cpd_ledger import natural_key
from capeval.states.errors import DomainError, GuardRefused, InputError, NotPermitted

from ..factories import at, load_society
from .test_certificates import STAFF, certificate, record, record_training, registered, training
from .test_handlers import rows


def apply(runtime: Runtime, number: str) -> date:
    return service.apply_for_renewal(runtime, ApplyForRenewal(number, "申请人1"))


def renew(runtime: Runtime, number: str) -> service.CertificateOutcome:
    return service.renew_certificate(runtime, RenewCertificate(number, STAFF))


def issued_with_every_year(runtime: Runtime, years: range = range(2026, 2031)) -> str:
    """Member 1's certificate, issued 2026-01-05 (valid to 2031-01-04), with 50 h in each of `years`."""
    load_society(runtime, members=[1])
    number = registered(runtime, 1)
    for year in years:
        record_training(runtime, number, year, 50)
    return number


# --- the renewal window ---------------------------------------------------------------------------------


def test_renewal_cannot_be_applied_for_before_the_window_opens_and_nothing_is_written(
    runtime: Runtime, clock: FixedClock
) -> None:
    number = issued_with_every_year(runtime)
    clock.set(at("2030-07-07"))
    with pytest.raises(GuardRefused, match="only from 2030-07-08 to the last valid day 2031-01-04"):
        apply(runtime, number)
    assert certificate(runtime, number).renewal_requested_on is None
    clock.set(at("2030-07-08"))
    assert apply(runtime, number) == date(2030, 7, 8)


def test_an_application_recorded_before_the_window_does_not_allow_a_renewal(
    runtime: Runtime, clock: FixedClock
) -> None:
    number = issued_with_every_year(runtime)
    with runtime.unit_of_work() as uow:
        uow.certificates.set_renewal_requested(certificate(runtime, number).id or 0, date(2027, 3, 10))
        uow.commit()
    clock.set(at("2030-12-01"))
    with pytest.raises(GuardRefused, match="not on 2027-03-10"):
        renew(runtime, number)
    assert certificate(runtime, number).renewals == 0


def test_the_window_follows_the_renewal_policy(runtime: Runtime, clock: FixedClock) -> None:
    import dataclasses

    runtime.policies = dataclasses.replace(
        runtime.policies, renewal=dataclasses.replace(runtime.policies.renewal, renewal_window_days=30)
    )
    number = issued_with_every_year(runtime)
    clock.set(at("2030-12-01"))
    with pytest.raises(GuardRefused, match="the last 30 days of validity"):
        apply(runtime, number)


# --- eligibility at renewal -----------------------------------------------------------------------------


def test_a_holder_banned_for_life_is_not_renewed(runtime: Runtime, clock: FixedClock) -> None:
    number = issued_with_every_year(runtime)
    clock.set(at("2030-12-01"))
    apply(runtime, number)
    with runtime.unit_of_work() as uow:
        holder = uow.certificates.with_holder(number)
        assert holder is not None
        person = holder[1]
        uow.registry.add(
            LifetimeBan(
                id_number_digest=person.id_number_digest,
                person_id=person.id or 0,
                reason="另案提供虚假材料（Q&A Q14）",
                imposed_by=STAFF,
                imposed_at=at("2030-12-02"),
            )
        )
        uow.commit()
    with pytest.raises(GuardRefused, match="banned for life"):
        renew(runtime, number)
    assert certificate(runtime, number).renewals == 0


def test_a_holder_no_longer_an_active_member_is_neither_allowed_to_apply_nor_renewed(
    runtime: Runtime, clock: FixedClock
) -> None:
    number = issued_with_every_year(runtime)
    clock.set(at("2030-12-01"))
    apply(runtime, number)
    load_society(runtime, members=[], pending=[1])
    with pytest.raises(GuardRefused, match="membership of the society is pending"):
        renew(runtime, number)
    with pytest.raises(GuardRefused, match="membership of the society is pending"):
        apply(runtime, number)
    load_society(runtime, members=[1])
    assert renew(runtime, number).expires_on == date(2036, 1, 4)


# --- every year of the term -----------------------------------------------------------------------------


def test_renewal_reviews_every_year_of_the_term_even_one_not_ended_yet(runtime: Runtime, clock: FixedClock) -> None:
    number = issued_with_every_year(runtime, range(2026, 2030))
    clock.set(at("2030-12-01"))
    apply(runtime, number)
    with pytest.raises(GuardRefused) as refused:
        renew(runtime, number)
    assert "2030: total short by 50 h" in str(refused.value) and "2029" not in str(refused.value)
    record_training(runtime, number, 2030, 50)
    clock.set(at("2030-12-02"))
    outcome = renew(runtime, number)
    renewed = certificate(runtime, number)
    assert (outcome.registration_number, outcome.expires_on) == (number, date(2036, 1, 4))
    assert renewed.valid_from == date(2031, 1, 5) and renewed.term_starts_on == date(2031, 1, 5)


def test_the_next_renewal_reviews_only_the_years_of_the_new_term(runtime: Runtime, clock: FixedClock) -> None:
    number = issued_with_every_year(runtime)
    clock.set(at("2030-12-01"))
    apply(runtime, number)
    renew(runtime, number)
    clock.set(at("2035-12-01"))
    apply(runtime, number)
    with pytest.raises(GuardRefused) as refused:
        renew(runtime, number)
    shortfall = str(refused.value)
    assert all(f"{year}: total short by 50 h" in shortfall for year in range(2031, 2036))
    assert "2030" not in shortfall and "2026" not in shortfall


def test_a_renewal_refused_for_cpd_lists_each_year_short_and_by_how_much(runtime: Runtime, clock: FixedClock) -> None:
    load_society(runtime, members=[1])
    number = registered(runtime, 1)
    record_training(runtime, number, 2027, 20)
    clock.set(at("2030-12-01"))
    apply(runtime, number)
    service.grant_exemption(runtime, GrantCpdExemption(number, 2028, "重病住院（学会预案）", "hospital.pdf", STAFF))
    with pytest.raises(GuardRefused) as refused:
        renew(runtime, number)
    assert str(refused.value).startswith(
        "CPD falls short (2026: total short by 50 h; 2027: total short by 30 h; 2029: total short by 50 h; "
        "2030: total short by 50 h)"
    )


# --- activities dated in range --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "on", "message"),
    [
        (
            "2026-06-01",
            "2030-05-01",
            "dated after today 2026-06-01.*dates allowed for .* now: 2026-01-05 to 2026-06-01",
        ),
        ("2026-06-01", "2026-01-04", "outside the validity of .*dates allowed: 2026-01-05 to 2026-06-01"),
        (
            "2031-02-01",
            "2031-01-05",
            "outside the validity of .*to 2031-01-04.*dates allowed: 2026-01-05 to 2031-01-04",
        ),
    ],
)
def test_an_activity_dated_in_the_future_or_outside_validity_refuses_its_whole_batch(
    runtime: Runtime, clock: FixedClock, today: str, on: str, message: str
) -> None:
    load_society(runtime, members=[1])
    number = registered(runtime, 1)
    clock.set(at(today))
    with pytest.raises(GuardRefused, match=message) as refused:
        record(runtime, number, [training("2026-03-01", 10), training(on, 10)])
    assert str(refused.value).startswith("activities[1] (training, ")
    assert rows(runtime, CpdActivity) == []


def test_a_row_dated_after_the_day_it_was_recorded_is_never_counted(runtime: Runtime, clock: FixedClock) -> None:
    load_society(runtime, members=[1])
    number = registered(runtime, 1)
    raw = training("2030-05-01", 60, title="提前登记的课程")
    with runtime.unit_of_work() as uow:
        holder = uow.certificates.with_holder(number)
        assert holder is not None
        uow.certificates.add_activity(
            {
                "person_id": holder[1].id,
                "year": 2030,
                "kind": "training",
                "happened_on": date(2030, 5, 1),
                "attributes": raw,
                "evidence_reference": "",
                "source": "member",
                "recorded_by": "申请人1",
                "recorded_at": at("2026-06-01"),
                "recognized_by": "申请人1",
                "natural_key": natural_key(parse_activity(raw, "legacy")),
            }
        )
        uow.commit()
    clock.set(at("2031-01-01"))
    [year] = queries.cpd_years(runtime, number, [2030])
    assert year.evaluation.total == 0
    assert [line.counted for line in queries.cpd_ledger(runtime, number).lines] == [False]


# --- one row per activity -------------------------------------------------------------------------------


def test_importing_the_same_activities_twice_adds_them_once_and_says_how_many_were_there(
    runtime: Runtime, clock: FixedClock
) -> None:
    load_society(runtime, members=[1])
    number = registered(runtime, 1)
    clock.set(at("2026-12-01"))
    transcript = [training("2026-03-01", 30, title="工程伦理"), training("2026-04-01", 30, title="项目管理")]
    first = record(runtime, number, transcript, actor=STAFF, source="platform")
    again = record(runtime, number, transcript, actor=STAFF, source="platform")
    assert (first.added, first.already, again.added, again.already) == (2, 0, 0, 2)
    by_hand = record(runtime, number, [training("2026-04-01", 30, title="  项目管理 "), training("2026-05-01", 5)])
    assert (by_hand.added, by_hand.already) == (1, 1)
    assert len(rows(runtime, CpdActivity)) == 3
    [year] = queries.cpd_years(runtime, number, [2026])
    assert year.evaluation.total == 65


def test_the_same_activity_twice_in_one_batch_is_added_once(runtime: Runtime, clock: FixedClock) -> None:
    load_society(runtime, members=[1])
    number = registered(runtime, 1)
    clock.set(at("2026-12-01"))
    done = record(runtime, number, [training("2026-03-01", 30, title="工程伦理")] * 2)
    assert (done.added, done.already) == (1, 1)


# --- who recognized it ----------------------------------------------------------------------------------


def test_each_row_says_who_recognized_it_and_outside_activities_are_recognized_by_society_staff(
    runtime: Runtime, clock: FixedClock
) -> None:
    load_society(runtime, members=[1, 2])
    number = registered(runtime, 1)
    clock.set(at("2026-12-01"))
    outside = {"kind": "seminar", "date": "2026-06-01", "minutes": 450, "organizer": "outside", "title": "行业峰会"}
    with pytest.raises(NotPermitted, match="nobody in the directory is called '路人甲'"):
        record(runtime, number, [outside], actor="路人甲")
    with pytest.raises(NotPermitted, match="申请人2 may not record_cpd: only the holder of the certificate, or the"):
        record(runtime, number, [training("2026-05-01", 10)], actor="申请人2")
    paper = {"kind": "paper", "date": "2026-07-01", "credited_hours": 12, "title": "论文"}
    with pytest.raises(GuardRefused, match="hours the society recognizes.*the holder '申请人1' cannot recognize"):
        record(runtime, number, [paper])
    assert rows(runtime, CpdActivity) == []
    record(runtime, number, [training("2026-05-01", 10)])
    record(runtime, number, [outside, paper], actor=STAFF)
    ledger = queries.cpd_ledger(runtime, number)
    assert [(line.kind, line.organizer, line.recorded_by, line.recognized_by) for line in ledger.lines] == [
        ("training", "society", "申请人1", "申请人1"),
        ("seminar", "outside", STAFF, STAFF),
        ("paper", "society", STAFF, STAFF),
    ]


def test_the_holder_cannot_recognize_their_own_outside_activity(runtime: Runtime, clock: FixedClock) -> None:
    load_society(runtime, members=[1])
    number = registered(runtime, 1)
    clock.set(at("2026-12-01"))
    outside = {"kind": "seminar", "date": "2026-06-01", "minutes": 450, "organizer": "outside"}
    with pytest.raises(GuardRefused, match="the holder '申请人1' cannot recognize their own activity"):
        record(runtime, number, [outside], actor="申请人1")


# --- qualified lecturers --------------------------------------------------------------------------------


def test_a_member_cannot_declare_themselves_a_qualified_lecturer(runtime: Runtime, clock: FixedClock) -> None:
    load_society(runtime, members=[1])
    number = registered(runtime, 1)
    clock.set(at("2026-12-01"))
    teaching = {"kind": "teaching", "date": "2026-06-01", "minutes": 450, "qualified_lecturer": True}
    with pytest.raises(GuardRefused, match="'qualified_lecturer' cannot be declared"):
        record(runtime, number, [teaching])
    assert rows(runtime, CpdActivity) == []


def test_teaching_counts_double_only_from_the_day_the_society_recorded_the_qualification(
    runtime: Runtime, clock: FixedClock
) -> None:
    load_society(runtime, members=[1, 2])
    number = registered(runtime, 1)
    clock.set(at("2026-12-01"))
    record(
        runtime,
        number,
        [
            {"kind": "teaching", "date": "2026-05-01", "minutes": 450, "title": "继电保护（一）"},
            {"kind": "teaching", "date": "2026-09-01", "minutes": 450, "title": "继电保护（二）"},
        ],
    )
    with pytest.raises(NotPermitted, match="only staff of society CES"):
        service.record_lecturer(runtime, RecordLecturer(number, date(2026, 6, 1), "申请人2"))
    with pytest.raises(NotPermitted, match="cannot record their own"):
        service.record_lecturer(runtime, RecordLecturer(number, date(2026, 6, 1), "申请人1"))
    with pytest.raises(InputError, match="before it begins"):
        service.record_lecturer(runtime, RecordLecturer(number, date(2026, 6, 1), STAFF, until=date(2026, 5, 1)))
    [before] = queries.cpd_years(runtime, number, [2026])
    assert before.evaluation.total == 20
    service.record_lecturer(runtime, RecordLecturer(number, date(2026, 6, 1), STAFF))
    with pytest.raises(DomainError, match="already recorded"):
        service.record_lecturer(runtime, RecordLecturer(number, date(2026, 6, 1), STAFF))
    [after] = queries.cpd_years(runtime, number, [2026])
    assert [line.hours for line in after.evaluation.lines] == [10, 20]
    assert "recorded by the society since 2026-06-01" in after.evaluation.lines[1].rule
    [row] = rows(runtime, CpdLecturer)
    assert (row.since, row.until, row.recorded_by) == (date(2026, 6, 1), None, STAFF)


def test_a_qualification_that_ended_no_longer_doubles_teaching(runtime: Runtime, clock: FixedClock) -> None:
    load_society(runtime, members=[1])
    number = registered(runtime, 1)
    clock.set(at("2026-12-01"))
    service.record_lecturer(runtime, RecordLecturer(number, date(2026, 1, 5), STAFF, until=date(2026, 6, 30)))
    record(
        runtime,
        number,
        [
            {"kind": "teaching", "date": "2026-06-30", "minutes": 450},
            {"kind": "teaching", "date": "2026-07-01", "minutes": 450},
        ],
    )
    [year] = queries.cpd_years(runtime, number, [2026])
    assert [line.hours for line in year.evaluation.lines] == [20, 10]


def test_certificate_rows_are_read_back_with_their_term(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    issued: Certificate = certificate(runtime, registered(runtime, 1))
    assert issued.valid_from == issued.issued_on == issued.term_starts_on == date(2026, 1, 5)
