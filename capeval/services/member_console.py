"""The member's side of the console: their certificates, who may touch a certificate, a new application of their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from capeval.states.commands import ApplicantDetails, CreateApplication, EvidenceRef
from capeval.states.errors import InputError, NotFoundError, NotPermitted
from capeval.states.identity import id_number_digest
from capeval.states.levels import Level, Route
from capeval.states.stored_reasons import reason_text
from capeval.states.work_experience import ExperiencePeriod

from .authority import certificate_parties
from .handlers import Outcome, handle
from .identity_key import id_key
from .runtime import Runtime


@dataclass(frozen=True)
class OwnCertificate:
    """A certificate as its holder sees it on their page."""

    registration_number: str
    level: str
    field: str
    society: str
    status: str
    valid_from: date
    expires_on: date
    renewal_requested_on: date | None
    last_reason: str = ""
    """The reason given with the certificate's last change ('' when none), capeval's own in the reader's language."""


def own_certificates(runtime: Runtime, person_id: int, language: str) -> list[OwnCertificate]:
    """The person's certificates, newest first; the reasons capeval recorded itself in `language`."""
    with runtime.unit_of_work() as uow:
        certificates = []
        for c, s in uow.console.certificates_of_person(person_id):
            assert c.id is not None
            history = uow.certificates.history(c.id)
            reason = history[-1].reason if history else ""
            certificates.append(
                OwnCertificate(
                    c.registration_number,
                    c.level,
                    c.field_code,
                    s.code,
                    c.status,
                    c.valid_from or c.issued_on,
                    c.expires_on,
                    c.renewal_requested_on,
                    reason_text(reason, language),
                )
            )
        return certificates


def certificate_parties_of(runtime: Runtime, person_id: int, number: str) -> set[str]:
    """The parties the person holds on the certificate (holder, society, society staff); NotPermitted when none."""
    with runtime.unit_of_work() as uow:
        found = uow.certificates.with_holder(number.strip())
        if found is None:
            raise NotFoundError("lookup_certificate_missing", number=number)
        person = uow.directory.person(person_id)
        if person is None:
            raise NotPermitted("account_session_missing")
        held = {party.value for party in certificate_parties(uow, person, found[0])}
        if not held:
            raise NotPermitted("console_certificate_not_yours", actor=person.name, number=number)
        return held


@dataclass(frozen=True)
class OwnApplication:
    """What the signed-in person fills in to open a case of their own."""

    id_number: str
    society: str
    field: str
    level: str
    route: str
    statement: str
    evidence: tuple[EvidenceRef, ...]
    commitment_signed: bool
    experience: tuple[ExperiencePeriod, ...] = ()


def create_own_application(runtime: Runtime, person_id: int, form: OwnApplication) -> Outcome:
    """Open a draft case for the signed-in person: the ID number given must be theirs (its digest is the one
    the directory holds), so nobody opens a case in another person's name."""
    try:
        level, route = Level(form.level), Route(form.route)
    except ValueError:
        raise InputError(
            "console_level_route_unknown", levels=[v.value for v in Level], routes=[v.value for v in Route]
        ) from None
    with runtime.unit_of_work() as uow:
        person = uow.directory.person(person_id)
        if person is None:
            raise NotPermitted("account_session_missing")
        digest = id_number_digest(form.id_number, id_key(runtime, uow))
        if digest != person.id_number_digest:
            raise InputError("console_id_number_not_yours")
        details = ApplicantDetails(person.name, form.id_number, person.email, person.language, person.employer)
    order = CreateApplication(
        details,
        form.society,
        form.field,
        level,
        route,
        form.statement,
        form.evidence,
        form.commitment_signed,
        work_experience=form.experience,
    )
    return handle(runtime, order)
