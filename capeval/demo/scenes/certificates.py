"""The certificates scene of the main job: five simulated years of CPD, renewal reminders, one suspension
and restoration, a CPD evaluation printed line by line, register look-ups, renewals and one expiry.

Call `run_scene(demo)` after the registrations of the main job (it needs registered cases among `demo.cases`).
Of the registered members, in case order, the first is suspended and restored, applies for renewal years
early and is refused, and is recorded by the society as a qualified lecturer; the second submits a CPD form
twice (counted once), falls short of CPD in 2028 and is excused; the last stops recording CPD and lets the
certificate expire. Sweeps run through the same Prefect `renewal-sweep` flow production uses.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from capeval.demo.stage import Stage
from capeval.services import certificates as service
from capeval.services import queries
from capeval.services.public_register import register_labels, search_register
from capeval.services.register import change_report, write_report
from capeval.states.certificates import Change
from capeval.states.commands import (
    ApplyForRenewal,
    ChangeCertificate,
    GrantCpdExemption,
    RecordCpdActivities,
    RecordLecturer,
    RenewCertificate,
)
from capeval.states.cpd import parse_activity
from capeval.states.errors import DomainError

SWEEP_DAYS = (
    "2026-11-01",
    "2027-11-01",
    "2028-11-01",
    "2029-11-01",
    "2030-10-28",
    "2030-11-01",
)


def _certificates(demo: Stage) -> list[tuple[str, str]]:
    """(case key, registration number) of every registered case, in case order."""
    numbers = queries.certificate_numbers(demo.runtime, [demo.case(key) for key in demo.cases])
    return [(key, numbers[demo.case(key)]) for key in demo.cases if demo.case(key) in numbers]


def _year_of_cpd(year: int, hours_online: int, hours_offline: int) -> list[dict[str, Any]]:
    return [
        {
            "kind": "training",
            "date": f"{year}-06-15",
            "minutes": hours_online * 45,
            "online": True,
            "subject": "public",
            "title": "工程伦理与职业道德（在线课程）",
            "evidence": f"platform-{year}.csv",
        },
        {
            "kind": "seminar",
            "date": f"{year}-09-20",
            "minutes": hours_offline * 45,
            "online": False,
            "subject": "professional",
            "title": "学会年会专题研讨",
            "evidence": f"seminar-{year}.pdf",
        },
    ]


def _record(demo: Stage, number: str, activities: list[dict[str, Any]], actor: str) -> service.RecordedActivities:
    parsed = tuple(parse_activity(item, "demo activity") for item in activities)
    return service.record_activities(demo.runtime, RecordCpdActivities(number, parsed, actor), activities)


def _sweep(demo: Stage, day: str) -> None:
    from capeval.flows.renewal_sweep import renewal_sweep

    demo.on(f"{day}T00:45")
    result = renewal_sweep(demo.database_url, as_of=f"{day}T00:45")
    parts = [
        f"{result['reminders']} renewal reminder(s)" if result["reminders"] else "",
        f"{result['cpd_warnings']} CPD shortfall warning(s)" if result["cpd_warnings"] else "",
        f"expired {', '.join(result['expired_numbers'])}" if result["expired_numbers"] else "",
    ]
    demo.say("renewal sweep: " + (", ".join(p for p in parts if p) or "nothing due"))


def _show_register(demo: Stage, number: str | None = None, name: str | None = None, society: str | None = None) -> None:
    for entry in search_register(demo.runtime, name=name, number=number, society=society).rows:
        words = register_labels(entry, "en")
        demo.say(
            f"  register: {entry.registration_number} {entry.name} {words['level']} {words['field']} "
            f"{words['society']} valid {entry.valid_from.isoformat()} to {entry.valid_until.isoformat()} "
            f"status {words['status']} "
            f"({len(entry.changes)} published change(s))"
        )


def _say_change(demo: Stage, key: str, outcome: service.CertificateOutcome) -> None:
    moved = f"{outcome.previous_status} -> {outcome.status}"
    demo.say(f"{demo.name(key)}: {outcome.registration_number} {moved}")


def _print_evaluation(demo: Stage, number: str, year: int) -> None:
    demo.on(f"{year + 1}-01-10")
    lines = queries.cpd_years(demo.runtime, number, [year])[0].evaluation.text_lines()
    demo.say(f"CPD of {number} for {year}, line by line:")
    for line in lines:
        demo.echo(f"            {line}")


def run_scene(demo: Stage) -> None:
    """Years of certificate life for the members registered by the main job."""
    staff = demo.staff
    members = _certificates(demo)
    if len(members) < 3:
        demo.say("certificates scene skipped: fewer than three registered members")
        return
    (suspended, suspended_number), (short, short_number), *_, (lapsing, lapsing_number) = members
    demo.on("2026-09-22")
    demo.say(f"{len(members)} certificates in the public register, valid 5 years (Q&A Q27); looking one up:")
    _show_register(demo, number=suspended_number)
    _show_register(demo, name=demo.name(short), society="DES")

    for year in range(2026, 2031):
        if year == 2027:
            demo.on("2027-03-01")
            outcome = service.change_certificate(
                demo.runtime,
                ChangeCertificate(suspended_number, Change.SUSPEND, staff, "收到投诉，待核实工作单位信息（Q&A Q31）"),
            )
            _say_change(demo, suspended, outcome)
            demo.on("2027-04-15")
            outcome = service.change_certificate(
                demo.runtime,
                ChangeCertificate(suspended_number, Change.RESTORE, staff, "经核实信息属实，恢复证书"),
            )
            _say_change(demo, suspended, outcome)
            _show_register(demo, number=suspended_number)
            try:
                service.apply_for_renewal(demo.runtime, ApplyForRenewal(suspended_number, demo.name(suspended)))
            except DomainError as error:
                demo.say(f"{demo.name(suspended)} applies for renewal early: refused: {error}")
        if year == 2029:
            demo.on("2029-03-01")
            qualified = service.record_lecturer(
                demo.runtime, RecordLecturer(suspended_number, demo.runtime.today(), staff)
            )
            demo.say(
                f"the society records {demo.name(suspended)} as a qualified lecturer from "
                f"{qualified.since.isoformat()}: teaching from then on counts double (CPD-2024 art. 13-14)"
            )
        demo.on(f"{year}-10-15")
        for key, number in members:
            if key == lapsing and year >= 2028:
                continue
            offline = 10 if key == short and year == 2028 else 22
            _record(demo, number, _year_of_cpd(year, 30, offline), demo.name(key))
        demo.say(f"members filled in their {year} CPD record forms (CPD-2024 art. 17)")
        if year == 2026:
            again = _record(demo, short_number, _year_of_cpd(year, 30, 22), demo.name(short))
            demo.say(
                f"{demo.name(short)} submits the {year} form again: {again.added} added, {again.already} already "
                "in the ledger, counted once"
            )
        if year == 2029:
            lecture = {"kind": "teaching", "date": "2029-05-10", "minutes": 450, "title": "工程伦理专题讲座"}
            _record(demo, suspended_number, [lecture], demo.name(suspended))
        for day in SWEEP_DAYS:
            if day.startswith(str(year)):
                _sweep(demo, day)
        if year == 2028:
            _print_evaluation(demo, short_number, 2028)

    _sweep(demo, "2031-01-26")
    demo.on("2031-03-02")
    for key, number in members:
        if key != lapsing:
            service.apply_for_renewal(demo.runtime, ApplyForRenewal(number, demo.name(key)))
    demo.say(f"{len(members) - 1} members applied for renewal in the window before expiry (Q&A Q23, Q28)")
    _sweep(demo, "2031-03-27")
    demo.on("2031-04-01")
    for key, number in members:
        if key == lapsing:
            continue
        try:
            outcome = service.renew_certificate(demo.runtime, RenewCertificate(number, staff))
        except DomainError as error:
            demo.say(f"renewal of {number} refused: {error}")
            service.grant_exemption(
                demo.runtime,
                GrantCpdExemption(
                    number, 2028, "2028年因病住院三个月（学会CPD预案）", "hospital-certificate-2028.pdf", staff
                ),
            )
            demo.say(f"{number}: 2028 excused under the society's contingency plan with evidence (CPD-2024 art. 9)")
            outcome = service.renew_certificate(demo.runtime, RenewCertificate(number, staff))
        if key in (short, suspended):
            demo.say(f"renewed {number}: same number, valid until {outcome.expires_on.isoformat()} (Q&A Q28)")
    demo.say(f"{len(members) - 1} certificates renewed; {demo.name(lapsing)} did not apply")

    _sweep(demo, "2031-04-27")
    _show_register(demo, number=lapsing_number)

    out = Path(str(sa.make_url(demo.database_url).database)).parent / "certificate-changes.csv"
    rows = change_report(demo.runtime, demo.runtime.today().replace(year=2026, month=1, day=1), demo.runtime.today())
    write_report(rows, out)
    counts = Counter(row["change"] for row in rows)
    demo.say(
        f"change report for the federation: {len(rows)} changes ("
        + ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
        + f") written to {out.name}"
    )
