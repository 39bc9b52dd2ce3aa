"""Certificates against real databases: issue, lifecycle, fraud ban, renewal, register, report, sweep."""

from __future__ import annotations

import csv
import dataclasses
import json
import threading
from datetime import date
from pathlib import Path

import pytest

from capeval.models import Certificate, CertificateHistory, CpdActivity, LifetimeBan, OutboxMessage
from capeval.services import certificates as service
from capeval.services import cpd_revocation
from capeval.services.public_register import search_register
from capeval.services.register import change_report, write_report
from capeval.services.renewals import run_renewal_sweep
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.certificates import Change
from capeval.states.clock import FixedClock
from capeval.states.commands import (
    ApplyForRenewal,
    ChangeCertificate,
    ChooseCpdPolicy,
    GrantCpdExemption,
    RecordCpdActivities,
    RenewCertificate,
)
from capeval.states.cpd import parse_activity
from capeval.states.errors import CapevalError, DomainError, GuardRefused, IllegalTransition, InputError, NotPermitted
from capeval.states.levels import Level, Route

from ..factories import act, at, id_number, load_society, submitted_case
from .test_handlers import rows

STAFF = "王秘书"


def registered(runtime: Runtime, serial: int, **options: object) -> str:
    """Take member `serial` from submission to registration; returns the registration number."""
    case_id = submitted_case(runtime, serial, **options)
    for action in (Action.ACCEPT_FOR_REVIEW, Action.PASS_MATERIAL_REVIEW, Action.APPROVE, Action.REGISTER):
        outcome = act(runtime, case_id, action)
    assert outcome.registration_number
    return str(outcome.registration_number)


def certificate(runtime: Runtime, number: str) -> Certificate:
    return rows(runtime, Certificate, registration_number=number)[0]


def change(runtime: Runtime, number: str, what: Change, reason: str = "学会决定", fraud: bool = False):  # type: ignore[no-untyped-def]
    return service.change_certificate(runtime, ChangeCertificate(number, what, STAFF, reason, fraud))


def record(runtime: Runtime, number: str, raw: list[dict[str, object]], actor: str = "申请人1", source: str = "member"):  # type: ignore[no-untyped-def]
    activities = tuple(parse_activity(item, "test") for item in raw)
    return service.record_activities(runtime, RecordCpdActivities(number, activities, actor, source), raw)


def training(on: str, hours: int, **more: object) -> dict[str, object]:
    return {
        "kind": "training",
        "date": on,
        "minutes": hours * 45,
        "online": True,
        "subject": "professional",
        "institution": "在线学习平台",
        **more,
    }


def record_training(runtime: Runtime, number: str, year: int, hours: int) -> None:
    """Record `hours` of training dated 1 June of `year`, on the next day (the clock moves there)."""
    assert isinstance(runtime.clock, FixedClock)
    runtime.clock.set(at(f"{year}-06-02"))
    record(runtime, number, [training(f"{year}-06-01", hours)])


def test_the_renewal_table_of_the_policy_sets_the_first_reminder_at_issue(runtime: Runtime) -> None:
    runtime.policies = dataclasses.replace(
        runtime.policies, renewal=dataclasses.replace(runtime.policies.renewal, reminder_days=(60,))
    )
    load_society(runtime, members=[1])
    issued = certificate(runtime, registered(runtime, 1))
    assert issued.expires_on == date(2031, 1, 4)
    assert issued.next_reminder_on == date(2030, 11, 5)


def test_registration_issues_a_numbered_five_year_certificate_with_its_first_history_line(runtime: Runtime) -> None:
    load_society(runtime, members=[1, 2])
    first, second = registered(runtime, 1), registered(runtime, 2)
    assert (first, second) == ("CE-CES-ELEC-2026-00001", "CE-CES-ELEC-2026-00002")
    issued = certificate(runtime, first)
    assert (issued.issued_on, issued.expires_on, issued.status) == (date(2026, 1, 5), date(2031, 1, 4), "active")
    assert issued.next_reminder_on == date(2030, 7, 8) and issued.cpd_check_on == date(2026, 11, 1)
    history = rows(runtime, CertificateHistory, certificate_id=issued.id)
    assert [(h.from_status, h.to_status, h.action) for h in history] == [(None, "active", "issue")]


def test_numbers_issued_at_once_never_collide(runtime: Runtime) -> None:
    load_society(runtime, members=list(range(1, 7)))
    cases = [submitted_case(runtime, serial) for serial in range(1, 7)]
    for case_id in cases:
        for action in (Action.ACCEPT_FOR_REVIEW, Action.PASS_MATERIAL_REVIEW, Action.APPROVE):
            act(runtime, case_id, action)
    numbers: list[str] = []
    errors: list[Exception] = []

    def register(case_id: int) -> None:
        for _ in range(20):
            try:
                numbers.append(str(act(runtime, case_id, Action.REGISTER).registration_number))
                return
            except CapevalError as error:
                errors.append(error)

    threads = [threading.Thread(target=register, args=(case_id,)) for case_id in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(numbers) == [f"CE-CES-ELEC-2026-{n:05d}" for n in range(1, 7)]


def test_suspension_and_restoration_are_recorded_published_and_notified(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    number = registered(runtime, 1)
    with pytest.raises(GuardRefused, match="reason"):
        change(runtime, number, Change.SUSPEND, reason="")
    assert change(runtime, number, Change.SUSPEND, "未按期提交CPD记录表").status == "suspended"
    assert change(runtime, number, Change.RESTORE, "已补交").status == "active"
    with pytest.raises(IllegalTransition, match="allowed now: suspend"):
        change(runtime, number, Change.RESTORE, "again")

    history = rows(runtime, CertificateHistory, certificate_id=certificate(runtime, number).id)
    assert [(h.action, h.to_status, h.actor) for h in history[1:]] == [
        ("suspend", "suspended", STAFF),
        ("restore", "active", STAFF),
    ]
    notices = [n for n in rows(runtime, OutboxMessage) if n.template == "certificate.status_changed"]
    assert [n.context["status"] for n in notices] == ["suspended", "active"]
    assert {"registration_number", "holder_name", "status", "reason", "effective_on"} <= set(notices[0].context)
    assert [c.change for c in search_register(runtime, number=number).rows[0].changes] == [
        "issue",
        "suspend",
        "restore",
    ]


def test_revocation_for_false_material_bans_for_life_and_refuses_a_later_application(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    number = registered(runtime, 1)
    outcome = change(runtime, number, Change.REVOKE, "提供虚假学历证明（Q&A Q14）", fraud=True)
    assert outcome.status == "revoked" and outcome.banned
    assert len(rows(runtime, LifetimeBan)) == 1
    with pytest.raises(GuardRefused, match="banned for life"):
        submitted_case(runtime, 1)


def test_upgrade_registration_supersedes_the_old_certificate_with_a_new_number(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    old = registered(runtime, 1, level=Level.APPRENTICE)
    new = registered(runtime, 1, level=Level.PROFESSIONAL, route=Route.UPGRADE)
    assert new != old
    superseded = certificate(runtime, old)
    assert superseded.status == "superseded" and superseded.superseded_by == new
    assert certificate(runtime, new).level == "professional"


def test_international_title_must_not_have_expired(runtime: Runtime) -> None:
    load_society(runtime, members=[1, 2])
    from capeval.states.commands import EvidenceRef

    from ..factories import REQUIRED_EVIDENCE

    evidence = (*REQUIRED_EVIDENCE, EvidenceRef("title_proof", "apec.pdf"))
    options = {"route": Route.INTERNATIONAL, "evidence": evidence, "title": "APEC Engineer", "title_issuer": "APEC"}
    with pytest.raises(GuardRefused, match="expired on 2025-12-31"):
        submitted_case(runtime, 1, title_expires_on=date(2025, 12, 31), **options)
    case_id = submitted_case(runtime, 2, title_expires_on=date(2027, 12, 31), **options)
    assert case_id


def renew(runtime: Runtime, number: str):  # type: ignore[no-untyped-def]
    return service.renew_certificate(runtime, RenewCertificate(number, STAFF))


def _renewable(runtime: Runtime, clock: FixedClock) -> str:
    load_society(runtime, members=[1])
    number = registered(runtime, 1)
    for year in range(2026, 2031):
        record_training(runtime, number, year, 50)
    clock.set(at("2030-12-01"))
    return number


def test_renewal_keeps_the_number_and_runs_five_years_from_the_old_expiry(runtime: Runtime, clock: FixedClock) -> None:
    number = _renewable(runtime, clock)
    clock.set(at("2031-01-02"))
    with pytest.raises(GuardRefused, match="has not applied for renewal"):
        renew(runtime, number)
    service.apply_for_renewal(runtime, ApplyForRenewal(number, "申请人1"))
    outcome = renew(runtime, number)
    assert (outcome.registration_number, outcome.expires_on) == (number, date(2036, 1, 4))
    renewed = certificate(runtime, number)
    assert renewed.renewals == 1 and renewed.next_reminder_on == date(2035, 7, 8)
    assert renewed.renewal_requested_on is None


def test_a_renewal_applied_for_in_time_but_reviewed_after_expiry_keeps_the_number(
    runtime: Runtime, clock: FixedClock
) -> None:
    number = _renewable(runtime, clock)
    clock.set(at("2031-01-04"))
    service.apply_for_renewal(runtime, ApplyForRenewal(number, "申请人1"))
    clock.set(at("2031-01-06"))
    assert run_renewal_sweep(runtime).expired == [number]
    outcome = renew(runtime, number)
    assert (outcome.previous_status, outcome.status, outcome.expires_on) == ("expired", "active", date(2036, 1, 4))


def test_renewal_cannot_be_applied_for_after_expiry(runtime: Runtime, clock: FixedClock) -> None:
    number = _renewable(runtime, clock)
    clock.set(at("2031-01-05"))
    with pytest.raises(DomainError, match="expired on 2031-01-04"):
        service.apply_for_renewal(runtime, ApplyForRenewal(number, "申请人1"))


def test_renewal_refuses_a_year_short_of_cpd_until_it_is_excused_with_evidence(
    runtime: Runtime, clock: FixedClock
) -> None:
    load_society(runtime, members=[1])
    number = registered(runtime, 1)
    for year in (2026, 2027, 2028, 2030):
        record_training(runtime, number, year, 50)
    record_training(runtime, number, 2029, 49)
    clock.set(at("2031-01-02"))
    service.apply_for_renewal(runtime, ApplyForRenewal(number, "申请人1"))
    with pytest.raises(GuardRefused, match="2029: total short by 1 h"):
        renew(runtime, number)
    service.grant_exemption(
        runtime, GrantCpdExemption(number, 2029, "重病住院（学会预案）", "hospital-2029.pdf", STAFF)
    )
    assert renew(runtime, number).expires_on == date(2036, 1, 4)


def test_renewal_follows_the_society_cpd_policy(runtime: Runtime, clock: FixedClock) -> None:
    number = _renewable(runtime, clock)
    service.choose_cpd_policy(runtime, ChooseCpdPolicy("CES", "ce-2026", STAFF))
    clock.set(at("2031-01-02"))
    service.apply_for_renewal(runtime, ApplyForRenewal(number, "申请人1"))
    with pytest.raises(GuardRefused, match="professional short by 10 h"):
        renew(runtime, number)


def test_the_public_register_never_shows_id_numbers_contacts_or_evidence(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    number = registered(runtime, 1)
    record_training(runtime, number, 2026, 10)
    change(runtime, number, Change.SUSPEND, "待核实")
    entries = (
        search_register(runtime, number=number).rows + search_register(runtime, name="申请人1", society="CES").rows
    )
    published = json.dumps([dataclasses.asdict(entry) for entry in entries], ensure_ascii=False, default=str)
    secret = id_number(1)
    for hidden in (secret, secret[:6], secret[-4:], "p1@example.cn", "diploma.pdf", "id-front.pdf", "test"):
        assert hidden not in published
    assert entries[0].name == "申请人1" and entries[0].status == "suspended"


def test_the_change_report_lists_each_change_of_the_period_as_csv(
    runtime: Runtime, clock: FixedClock, tmp_path: Path
) -> None:
    load_society(runtime, members=[1, 2])
    first, second = registered(runtime, 1), registered(runtime, 2)
    clock.set(at("2026-03-10"))
    change(runtime, first, Change.SUSPEND, "待核实")
    change(runtime, second, Change.CANCEL, "本人申请注销")
    rows_ = change_report(runtime, date(2026, 3, 1), date(2026, 3, 31))
    write_report(rows_, tmp_path / "report.csv")
    with (tmp_path / "report.csv").open(encoding="utf-8-sig") as handle:
        written = list(csv.DictReader(handle))
    assert [(r["registration_number"], r["change"], r["to_status"]) for r in written] == [
        (first, "suspend", "suspended"),
        (second, "cancel", "cancelled"),
    ]
    assert len(change_report(runtime, date(2026, 1, 1), date(2026, 3, 31))) == 4


def _notices(runtime: Runtime, template: str) -> list[OutboxMessage]:
    return [n for n in rows(runtime, OutboxMessage) if n.template == template]


def test_the_renewal_sweep_reminds_warns_and_expires_each_exactly_once(runtime: Runtime, clock: FixedClock) -> None:
    load_society(runtime, members=[1, 2])
    kept, lapsing = registered(runtime, 1), registered(runtime, 2)
    record_training(runtime, kept, 2026, 50)
    # 180 days before expiry is 2030-07-08, 90 days 2030-10-06 (no sweep ran: passed over), 30 days 2030-12-05
    for when in ("2026-10-31", "2026-11-01", "2026-11-01", "2030-07-07", "2030-07-08", "2030-07-09", "2030-12-05"):
        clock.set(at(when))
        run_renewal_sweep(runtime, batch_size=1)
    warnings = _notices(runtime, "certificate.cpd_shortfall")
    assert [(n.context["registration_number"], n.context["year"]) for n in warnings] == [
        (lapsing, 2026),
        (kept, 2030),
        (lapsing, 2030),
    ]
    reminders = _notices(runtime, "certificate.renewal_reminder")
    assert sorted((n.context["registration_number"], n.context["days_before"]) for n in reminders) == [
        (kept, 30),
        (kept, 180),
        (lapsing, 30),
        (lapsing, 180),
    ]
    clock.set(at("2031-01-04"))
    assert run_renewal_sweep(runtime).expired == []
    clock.set(at("2031-01-05"))
    first = run_renewal_sweep(runtime, batch_size=1)
    again = run_renewal_sweep(runtime, batch_size=1)
    assert sorted(first.expired) == sorted([kept, lapsing]) and again.expired == []
    assert len(_notices(runtime, "certificate.renewal_reminder")) == 4
    assert certificate(runtime, kept).status == "expired"
    expiries = [n for n in _notices(runtime, "certificate.status_changed") if n.context["status"] == "expired"]
    assert len(expiries) == 2


def test_a_society_switching_cpd_policy_does_not_change_the_verdict_on_past_years(
    runtime: Runtime, clock: FixedClock
) -> None:
    load_society(runtime, members=[1])
    number = registered(runtime, 1)
    record_training(runtime, number, 2026, 50)
    clock.set(at("2027-03-01"))
    record_training(runtime, number, 2027, 50)
    with runtime.unit_of_work() as uow:
        found = uow.certificates.with_holder(number)
        assert found is not None
        held, person, _ = found
        before = [e.compliant for e in service.evaluate_years(uow, held, person, [2026, 2027])]
    with pytest.raises(InputError, match="cannot judge 2026"):
        service.choose_cpd_policy(runtime, ChooseCpdPolicy("CES", "ce-2026", STAFF, from_year=2026))
    service.choose_cpd_policy(runtime, ChooseCpdPolicy("CES", "ce-2026", STAFF))
    with runtime.unit_of_work() as uow:
        after = service.evaluate_years(uow, held, person, [2026, 2027])
    assert before == [True, True]
    assert [(e.policy, e.compliant) for e in after] == [("cpd-2024", True), ("ce-2026", False)]


def test_hours_found_fraudulent_are_revoked_recorded_and_the_employer_is_told(
    runtime: Runtime, clock: FixedClock
) -> None:
    load_society(runtime, members=[1])
    number = registered(runtime, 1)
    record_training(runtime, number, 2026, 50)
    [activity] = rows(runtime, CpdActivity)
    with pytest.raises(NotPermitted):
        cpd_revocation.revoke_hours(runtime, number, activity.id or 0, "证明伪造", "申请人1", "hr@example.cn")
    with pytest.raises(InputError):
        cpd_revocation.revoke_hours(runtime, number, activity.id or 0, "证明伪造", STAFF, "no address")
    done = cpd_revocation.revoke_hours(runtime, number, activity.id or 0, "培训证明系伪造", STAFF, "hr@example.cn")
    assert done.activity_id == activity.id
    [revoked] = rows(runtime, CpdActivity)
    assert (revoked.revoked_by, revoked.revoked_reason) == (STAFF, "培训证明系伪造") and revoked.revoked_at
    told = [m for m in rows(runtime, OutboxMessage) if m.template == "cpd.hours_revoked"]
    assert sorted(m.recipient_email for m in told) == ["hr@example.cn", "p1@example.cn"]
    with runtime.unit_of_work() as uow:
        found = uow.certificates.with_holder(number)
        assert found is not None
        [evaluation] = service.evaluate_years(uow, found[0], found[1], [2026])
    assert evaluation.total == 0
    with pytest.raises(DomainError, match="already revoked"):
        cpd_revocation.revoke_hours(runtime, number, activity.id or 0, "再次", STAFF, "hr@example.cn")
