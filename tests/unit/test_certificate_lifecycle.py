"""The certificate lifecycle: every (status, change) pair against an explicit table, guards, renewal dates."""

from __future__ import annotations

from datetime import date

import pytest

from capeval.states.certificates import (
    MACHINE,
    MOVES,
    CertificateFacts,
    Change,
    Status,
    change_status,
    check_renewal_application,
    expiry_date,
    registration_number,
    renewed_expiry,
)
from capeval.states.errors import GuardRefused, IllegalTransition, InputError
from capeval.states.renewal_policy import RenewalPolicy

S, C = Status, Change
ALLOWED: dict[tuple[Status, Change], Status] = {
    (S.ACTIVE, C.SUSPEND): S.SUSPENDED,
    (S.SUSPENDED, C.RESTORE): S.ACTIVE,
    (S.ACTIVE, C.RENEW): S.ACTIVE,
    (S.EXPIRED, C.RENEW): S.ACTIVE,
    (S.ACTIVE, C.EXPIRE): S.EXPIRED,
    (S.SUSPENDED, C.EXPIRE): S.EXPIRED,
    (S.ACTIVE, C.CANCEL): S.CANCELLED,
    (S.SUSPENDED, C.CANCEL): S.CANCELLED,
    (S.ACTIVE, C.REVOKE): S.REVOKED,
    (S.SUSPENDED, C.REVOKE): S.REVOKED,
    (S.EXPIRED, C.REVOKE): S.REVOKED,
    (S.CANCELLED, C.REVOKE): S.REVOKED,
    (S.SUPERSEDED, C.REVOKE): S.REVOKED,
    (S.ACTIVE, C.SUPERSEDE): S.SUPERSEDED,
    (S.SUSPENDED, C.REINSTATE): S.ACTIVE,
    (S.REVOKED, C.REINSTATE): S.ACTIVE,
}
EXPIRES = date(2031, 4, 26)


OPENS = date(2030, 10, 28)


def facts_for(change: Change) -> CertificateFacts:
    """Facts every guard of `change` accepts."""
    today = date(2031, 4, 27) if change is Change.EXPIRE else date(2031, 1, 10)
    return CertificateFacts(
        today,
        EXPIRES,
        "依据学会规定",
        renewal_requested_on=date(2031, 1, 5),
        renewal_opens_on=OPENS,
        holder_membership="active",
        appeal_upheld=True,
    )


def renewal(today: date, **facts: object) -> CertificateFacts:
    """Renewal facts of an eligible holder in the window opening on OPENS; `facts` override them."""
    values: dict[str, object] = {"renewal_opens_on": OPENS, "holder_membership": "active", **facts}
    return CertificateFacts(today, EXPIRES, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("change", [c for c in Change if c is not Change.ISSUE])
def test_every_status_and_change_pair_follows_the_table(status: Status, change: Change) -> None:
    expected = ALLOWED.get((status, change))
    if expected is None:
        with pytest.raises(IllegalTransition):
            change_status(status, change, facts_for(change))
    else:
        assert change_status(status, change, facts_for(change)).dest is expected


def test_the_table_and_the_machine_agree_and_nothing_else_is_allowed() -> None:
    assert {(m.source, m.change): m.dest for m in MOVES} == ALLOWED
    assert set(MACHINE.states) == {s.value for s in Status}


def test_every_status_is_reachable_from_active() -> None:
    reached, frontier = {S.ACTIVE}, [S.ACTIVE]
    while frontier:
        current = frontier.pop()
        for move in MOVES:
            if move.source is current and move.dest not in reached:
                reached.add(move.dest)
                frontier.append(move.dest)
    assert reached == set(Status)


@pytest.mark.parametrize("change", [C.SUSPEND, C.RESTORE, C.CANCEL, C.REVOKE])
def test_published_changes_need_a_reason(change: Change) -> None:
    source = S.SUSPENDED if change is C.RESTORE else S.ACTIVE
    with pytest.raises(GuardRefused, match="reason"):
        change_status(source, change, CertificateFacts(date(2030, 1, 1), EXPIRES, "  "))


def test_a_certificate_expires_only_the_day_after_its_last_valid_day() -> None:
    with pytest.raises(GuardRefused, match="valid until 2031-04-26"):
        change_status(S.ACTIVE, C.EXPIRE, CertificateFacts(EXPIRES, EXPIRES))
    assert change_status(S.ACTIVE, C.EXPIRE, CertificateFacts(date(2031, 4, 27), EXPIRES)).dest is S.EXPIRED


def test_renewal_needs_an_application_made_by_the_last_valid_day() -> None:
    with pytest.raises(GuardRefused, match="has not applied for renewal"):
        change_status(S.ACTIVE, C.RENEW, renewal(date(2031, 1, 5)))
    with pytest.raises(GuardRefused, match="no renewal was applied for by the last valid day 2031-04-26"):
        change_status(S.EXPIRED, C.RENEW, renewal(date(2031, 5, 5)))
    late = renewal(date(2031, 5, 5), renewal_requested_on=date(2031, 4, 27))
    with pytest.raises(GuardRefused, match="no renewal was applied for"):
        change_status(S.EXPIRED, C.RENEW, late)
    in_time = renewal(date(2031, 5, 5), renewal_requested_on=EXPIRES)
    assert change_status(S.EXPIRED, C.RENEW, in_time).dest is S.ACTIVE


def test_renewal_is_applied_for_and_granted_only_within_the_window_before_expiry() -> None:
    window = r"only from 2030-10-28 to the last valid day 2031-04-26 \(the last 180 days of validity\)"
    with pytest.raises(GuardRefused, match=window + ", not on 2027-03-10"):
        change_status(S.ACTIVE, C.RENEW, renewal(date(2027, 3, 10)))
    early = renewal(date(2031, 1, 5), renewal_requested_on=date(2027, 3, 10))
    with pytest.raises(GuardRefused, match=window + ", not on 2027-03-10"):
        change_status(S.ACTIVE, C.RENEW, early)
    on_the_first_day = renewal(OPENS, renewal_requested_on=OPENS)
    assert change_status(S.ACTIVE, C.RENEW, on_the_first_day).dest is S.ACTIVE


def test_renewal_rechecks_the_ban_and_the_membership_of_the_holder() -> None:
    applied = {"renewal_requested_on": date(2031, 1, 5)}
    with pytest.raises(GuardRefused, match="banned for life"):
        change_status(S.ACTIVE, C.RENEW, renewal(date(2031, 1, 10), holder_banned=True, **applied))
    with pytest.raises(GuardRefused, match="no longer a member"):
        change_status(S.ACTIVE, C.RENEW, renewal(date(2031, 1, 10), holder_membership=None, **applied))
    with pytest.raises(GuardRefused, match="membership of the society is pending"):
        change_status(S.ACTIVE, C.RENEW, renewal(date(2031, 1, 10), holder_membership="pending", **applied))


def test_a_renewal_application_is_checked_for_the_window_and_the_holder_when_made() -> None:
    check_renewal_application(renewal(OPENS, renewal_requested_on=OPENS))
    with pytest.raises(GuardRefused) as refused:
        check_renewal_application(
            renewal(date(2027, 3, 10), renewal_requested_on=date(2027, 3, 10), holder_banned=True)
        )
    assert [name for name, _ in refused.value.refusals] == ["renewal_applied_in_window", "holder_not_banned"]


def test_renewal_is_refused_with_a_cpd_shortfall() -> None:
    short = renewal(EXPIRES, cpd_shortfall={2028: {"total": 5}}, renewal_requested_on=EXPIRES)
    with pytest.raises(GuardRefused, match=r"2028: total short by 5 h.*art. 9"):
        change_status(S.ACTIVE, C.RENEW, short)
    assert change_status(S.ACTIVE, C.RENEW, renewal(EXPIRES, renewal_requested_on=EXPIRES)).dest is S.ACTIVE


@pytest.mark.parametrize("status", [S.SUSPENDED, S.REVOKED])
def test_only_an_upheld_appeal_reinstates_a_suspended_or_revoked_certificate(status: Status) -> None:
    with pytest.raises(GuardRefused, match="upholds the holder's appeal"):
        change_status(status, C.REINSTATE, CertificateFacts(date(2031, 1, 10), EXPIRES, "复核通过"))
    upheld = CertificateFacts(date(2031, 1, 10), EXPIRES, "申诉成立", appeal_upheld=True)
    assert change_status(status, C.REINSTATE, upheld).dest is S.ACTIVE


def test_an_upheld_appeal_cannot_reinstate_a_certificate_past_its_validity() -> None:
    late = CertificateFacts(date(2031, 4, 27), EXPIRES, "申诉成立", appeal_upheld=True)
    with pytest.raises(GuardRefused, match="expired on 2031-04-26"):
        change_status(S.REVOKED, C.REINSTATE, late)


def test_a_suspended_certificate_cannot_be_restored_after_its_validity() -> None:
    with pytest.raises(GuardRefused, match="expired"):
        change_status(S.SUSPENDED, C.RESTORE, CertificateFacts(date(2031, 5, 1), EXPIRES, "复核通过"))


def test_validity_is_five_years_and_renewal_runs_five_years_from_the_old_expiry() -> None:
    assert expiry_date(date(2026, 4, 27), 5) == date(2031, 4, 26)
    assert expiry_date(date(2024, 2, 29), 5) == date(2029, 2, 28)
    assert renewed_expiry(date(2031, 4, 26), 5) == date(2036, 4, 26)


def test_registration_numbers_carry_society_field_year_and_sequence() -> None:
    assert registration_number("des", "electrical", 2026, 7) == "CE-DES-ELEC-2026-00007"


def test_reminders_fall_at_each_point_before_expiry_once() -> None:
    policy = RenewalPolicy()
    assert policy.next_reminder(EXPIRES, date(2026, 4, 27)) == date(2030, 10, 28)
    assert policy.next_reminder(EXPIRES, date(2030, 10, 29)) == date(2031, 1, 26)
    assert policy.next_reminder(EXPIRES, date(2031, 3, 28)) is None
    assert policy.reminder_due(EXPIRES, date(2030, 10, 27)) is None
    assert policy.reminder_due(EXPIRES, date(2030, 10, 28)) == 180
    assert policy.reminder_due(EXPIRES, date(2031, 3, 30)) == 30
    assert RenewalPolicy(reminder_days=(60,)).next_reminder(EXPIRES, date(2026, 5, 1)) == date(2031, 2, 25)


def test_the_yearly_cpd_check_falls_inside_validity_only() -> None:
    policy = RenewalPolicy()
    issued = date(2026, 4, 27)
    assert policy.next_cpd_check(issued, EXPIRES, issued) == date(2026, 11, 1)
    assert policy.next_cpd_check(issued, EXPIRES, date(2030, 11, 2)) is None


def test_the_yearly_cpd_check_falls_only_in_years_renewal_reviews() -> None:
    issued = date(2026, 12, 20)
    assert RenewalPolicy().next_cpd_check(issued, expiry_date(issued, 5), issued) == date(2027, 11, 1)


@pytest.mark.parametrize(
    ("issued", "years"),
    [
        (date(2026, 3, 2), [2026, 2027, 2028, 2029, 2030]),
        (date(2026, 4, 27), [2026, 2027, 2028, 2029, 2030]),
        (date(2026, 12, 20), [2027, 2028, 2029, 2030, 2031]),
        (date(2026, 1, 1), [2026, 2027, 2028, 2029, 2030]),
        (date(2028, 2, 29), [2028, 2029, 2030, 2031, 2032]),
    ],
)
def test_renewal_reviews_as_many_calendar_years_as_the_validity_has(issued: date, years: list[int]) -> None:
    assert RenewalPolicy().reviewed_years(issued, expiry_date(issued, 5)) == years


def test_renewal_can_review_only_the_calendar_years_wholly_inside_the_validity() -> None:
    whole = RenewalPolicy(calendar_years="whole")
    assert whole.reviewed_years(date(2026, 3, 2), date(2031, 3, 1)) == [2027, 2028, 2029, 2030]
    assert whole.reviewed_years(date(2026, 1, 1), date(2030, 12, 31)) == [2026, 2027, 2028, 2029, 2030]


def test_the_renewal_window_opens_the_configured_days_before_expiry() -> None:
    assert RenewalPolicy().renewal_opens_on(date(2031, 3, 1)) == date(2030, 9, 2)
    assert RenewalPolicy(renewal_window_days=90).renewal_opens_on(date(2031, 3, 1)) == date(2030, 12, 1)


def test_the_renewal_policy_is_overridable_and_refuses_bad_rules() -> None:
    policy = RenewalPolicy.from_mapping({"reminder_days": [60, 7], "cpd_warning_month_day": "12-01"})
    assert policy.reminder_points() == (60, 7) and policy.cpd_warning_date(2027) == date(2027, 12, 1)
    assert {row["rule"] for row in policy.describe()} == {
        "reminder_days",
        "cpd_warning_month_day",
        "renewal_window_days",
        "calendar_years",
    }
    bad_rules: list[dict[str, object]] = [
        {"reminder_days": []},
        {"reminder_days": [0]},
        {"cpd_warning_month_day": "1st Nov"},
        {"days": [1]},
        {"renewal_window_days": 0},
        {"calendar_years": "all"},
        {"review_issue_year": True},
    ]
    for bad in bad_rules:
        with pytest.raises(InputError):
            RenewalPolicy.from_mapping(bad)
