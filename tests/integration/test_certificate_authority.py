"""Who may act on a certificate, through the service layer: for every move of the certificate lifecycle and
every step outside it (renewal application, exemption, refusal, the CPD ledger, the society's policy), the
person holding its party gets past the authority check and everyone else is refused with NotPermitted,
leaving the certificate as it was."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
import sqlalchemy as sa

from capeval.models import Certificate, CertificateHistory, LifetimeBan
from capeval.services import certificates as service
from capeval.services.authority import certificate_actor
from capeval.services.directory import load_directory
from capeval.services.renewals import refuse_renewal, run_renewal_sweep
from capeval.services.runtime import Runtime
from capeval.states.authority import Sweep
from capeval.states.certificates import MOVES, Change, Party, Status
from capeval.states.clock import FixedClock
from capeval.states.commands import (
    ApplyForRenewal,
    ChangeCertificate,
    ChooseCpdPolicy,
    GrantCpdExemption,
    RecordCpdActivities,
    RecordLecturer,
    RefuseRenewal,
    RenewCertificate,
)
from capeval.states.cpd import parse_activity
from capeval.states.errors import CapevalError, NotPermitted

from ..factories import at, person, society_document
from .test_certificates import registered
from .test_handlers import rows

SWEEP = Sweep("test sweep")
PEOPLE = {
    "holder": "申请人1",
    "another member": "申请人2",
    "workgroup": "王秘书",
    "society administrator": "学会管理员",
    "another society's workgroup": "孙秘书",
    "secretariat": "秘书处员",
    "review committee member": "审议委员1",
    "stranger": "路人甲",
}
HOLDS: dict[str, set[str]] = {
    "holder": {Party.HOLDER},
    "workgroup": {Party.SOCIETY, Party.SOCIETY_STAFF},
    "society administrator": {Party.SOCIETY_STAFF},
    "sweep": {Party.SYSTEM},
}
"""The parties each role holds on member 1's certificate; every other role holds none."""


def build_world(runtime: Runtime) -> str:
    """Member 1's certificate of CES, a person in each role, and the clock in its renewal window."""
    document = society_document([1, 2])
    document["staff"].append({**person(907, "学会管理员"), "role": "society_administrator"})
    load_directory(runtime, document, origin="test directory")
    other = {"society": {"code": "CMES", "name_zh": "中国机械工程学会"}, "workgroup": [person(906, "孙秘书")]}
    load_directory(runtime, other, origin="test directory")
    number = registered(runtime, 1)
    assert isinstance(runtime.clock, FixedClock)
    runtime.clock.set(at("2030-10-01"))
    return number


def set_status(runtime: Runtime, number: str, status: Status, applied: bool = True) -> None:
    values = {"status": status.value, "renewal_requested_on": date(2030, 10, 1) if applied else None}
    with runtime.engine.begin() as connection:
        connection.execute(sa.update(Certificate).where(Certificate.registration_number == number).values(values))


def status(runtime: Runtime, number: str) -> str:
    return rows(runtime, Certificate, registration_number=number)[0].status


def test_every_move_of_the_lifecycle_is_taken_only_by_the_party_it_belongs_to(runtime: Runtime) -> None:
    number = build_world(runtime)
    today, now = runtime.today(), runtime.clock.now()
    for move in MOVES:
        for role, who in [*PEOPLE.items(), ("sweep", SWEEP)]:
            set_status(runtime, number, move.source)
            entitled = str(move.by) in HOLDS.get(role, set())
            with runtime.unit_of_work() as uow:
                found = uow.certificates.with_holder(number)
                assert found is not None
                certificate, holder, _ = found
                try:
                    actor = certificate_actor(uow, who, certificate)
                    service.record_change(
                        uow, certificate, holder, move.change, actor=actor, reason="理由", today=today, now=now
                    )
                    outcome: CapevalError | None = None
                except CapevalError as error:
                    outcome = error
            if entitled:
                assert not isinstance(outcome, NotPermitted), (move.change, move.source, role, outcome)
            else:
                assert isinstance(outcome, NotPermitted), (move.change, move.source, role, outcome)
            assert status(runtime, number) == move.source.value


Step = Callable[[Runtime, str, str], object]


def _training(on: str) -> dict[str, object]:
    return {"kind": "training", "date": on, "minutes": 450, "online": True, "title": f"课程 {on}"}


def _record(source: str) -> Step:
    def step(runtime: Runtime, number: str, who: str) -> object:
        raw = [_training("2030-09-01")]
        activities = tuple(parse_activity(item, "test") for item in raw)
        return service.record_activities(runtime, RecordCpdActivities(number, activities, who, source), raw)

    return step


def _change(change: Change) -> Step:
    def step(runtime: Runtime, number: str, who: str) -> object:
        return service.change_certificate(runtime, ChangeCertificate(number, change, who, "理由"))

    return step


STEPS: list[tuple[str, Status, set[str], Step]] = [
    *(
        (str(change), source, {Party.SOCIETY}, _change(change))
        for change, source in (
            (Change.SUSPEND, Status.ACTIVE),
            (Change.RESTORE, Status.SUSPENDED),
            (Change.CANCEL, Status.ACTIVE),
            (Change.REVOKE, Status.EXPIRED),
        )
    ),
    ("renew", Status.ACTIVE, {Party.SOCIETY}, lambda r, n, w: service.renew_certificate(r, RenewCertificate(n, w))),
    (
        "exempt",
        Status.ACTIVE,
        {Party.SOCIETY},
        lambda r, n, w: service.grant_exemption(r, GrantCpdExemption(n, 2028, "驻外", "函.pdf", w)),
    ),
    ("refuse_renewal", Status.ACTIVE, {Party.SOCIETY}, lambda r, n, w: refuse_renewal(r, RefuseRenewal(n, w, "不足"))),
    (
        "apply_for_renewal",
        Status.ACTIVE,
        {Party.HOLDER},
        lambda r, n, w: service.apply_for_renewal(r, ApplyForRenewal(n, w)),
    ),
    ("record_cpd", Status.ACTIVE, {Party.HOLDER, Party.SOCIETY_STAFF}, _record("member")),
    ("import_cpd", Status.ACTIVE, {Party.SOCIETY_STAFF}, _record("platform")),
    (
        "record_lecturer",
        Status.ACTIVE,
        {Party.SOCIETY_STAFF},
        lambda r, n, w: service.record_lecturer(r, RecordLecturer(n, date(2030, 9, 1), w)),
    ),
    (
        "choose_cpd_policy",
        Status.ACTIVE,
        {Party.SOCIETY_STAFF},
        lambda r, n, w: service.choose_cpd_policy(r, ChooseCpdPolicy("CES", "ce-2026", w)),
    ),
]
"""Each step a person takes on a certificate: the status it is taken from, the parties that may take it."""


@pytest.mark.parametrize(("name", "source", "parties", "step"), STEPS, ids=[step[0] for step in STEPS])
def test_every_step_on_a_certificate_is_taken_only_by_its_party(
    runtime: Runtime, name: str, source: Status, parties: set[str], step: Step
) -> None:
    number = build_world(runtime)
    for role, who in PEOPLE.items():
        set_status(runtime, number, source, applied=name != "apply_for_renewal")
        before = rows(runtime, CertificateHistory)
        try:
            step(runtime, number, who)
            outcome: CapevalError | None = None
        except CapevalError as error:
            outcome = error
        if parties & HOLDS.get(role, set()):
            assert not isinstance(outcome, NotPermitted), (name, role, outcome)
        else:
            assert isinstance(outcome, NotPermitted), (name, role, outcome)
            assert status(runtime, number) == source.value and rows(runtime, CertificateHistory) == before


def test_history_lines_keep_the_person_and_sweeps_act_as_themselves(runtime: Runtime) -> None:
    number = build_world(runtime)
    with runtime.unit_of_work() as uow:
        wang = uow.directory.person_by_username("p900")
        assert wang is not None and wang.name == "王秘书"
    service.change_certificate(runtime, ChangeCertificate(number, Change.SUSPEND, "p900", "待核实"))
    service.grant_exemption(runtime, GrantCpdExemption(number, 2028, "驻外", "函.pdf", "p900"))
    assert isinstance(runtime.clock, FixedClock)
    runtime.clock.set(at("2031-03-02"))
    run_renewal_sweep(runtime)
    runtime.clock.set(at("2031-03-03"))
    service.change_certificate(runtime, ChangeCertificate(number, Change.REVOKE, "p900", "虚假材料", fraud=True))
    lines = rows(runtime, CertificateHistory, certificate_id=rows(runtime, Certificate)[0].id)
    assert [(line.action, line.actor, line.actor_id) for line in lines] == [
        ("issue", "王秘书", wang.id),
        ("suspend", "王秘书", wang.id),
        ("expire", "renewal sweep", None),
        ("revoke", "王秘书", wang.id),
    ]
    [ban] = rows(runtime, LifetimeBan)
    assert ban.imposed_by == "王秘书"
