"""The public register as the console and the API search it: by number, or by part of a name, paged and capped.

A result carries name, level, field, society, validity and status only (never an ID number or contact).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from capeval.models import Certificate, Person, Society
from capeval.states.errors import InputError

from .runtime import Runtime

REGISTER_PAGE_SIZE = 20
"""Certificates per page of the public register."""
REGISTER_MAX_PAGES = 10
"""The public register shows at most this many pages of one search: narrow it by society or field."""
MIN_NAME_PART = 2
"""The shortest part of a name the public register searches for (characters)."""


@dataclass(frozen=True)
class PublicCertificate:
    """A certificate as the public sees it: name, level, field, society, validity and status only."""

    registration_number: str
    name: str
    level: str
    field: str
    society: str
    society_name: str
    valid_from: date
    valid_until: date
    status: str


@dataclass(frozen=True)
class RegisterPage:
    """One page of a register search."""

    entries: list[PublicCertificate]
    total: int
    page: int
    pages: int


def _public(certificate: Certificate, person: Person, society: Society) -> PublicCertificate:
    return PublicCertificate(
        certificate.registration_number,
        person.name,
        certificate.level,
        certificate.field_code,
        society.code,
        society.name_zh,
        certificate.valid_from or certificate.issued_on,
        certificate.expires_on,
        certificate.status,
    )


def register_search(
    runtime: Runtime,
    *,
    number: str | None = None,
    name: str | None = None,
    society: str | None = None,
    field_code: str | None = None,
    page: int = 1,
) -> RegisterPage:
    """The register by registration number, or by part of the holder's name (with society and field filters).

    A name part needs `MIN_NAME_PART` characters; at most `REGISTER_MAX_PAGES` pages are shown."""
    number = (number or "").strip()
    name = (name or "").strip()
    if number and name:
        raise InputError("register_lookup_both")
    if not number and not name:
        raise InputError("console_register_query_missing")
    if page < 1 or page > REGISTER_MAX_PAGES:
        raise InputError("console_page_out_of_range", page=page, last=REGISTER_MAX_PAGES)
    with runtime.unit_of_work() as uow:
        if number:
            found = uow.certificates.with_holder(number)
            entries = [_public(*found)] if found else []
            return RegisterPage(entries, len(entries), 1, 1)
        if len(name) < MIN_NAME_PART:
            raise InputError("console_name_part_short", minimum=MIN_NAME_PART)
        offset = (page - 1) * REGISTER_PAGE_SIZE
        total, rows = uow.console.register_by_name_part(
            name, (society or "").strip() or None, (field_code or "").strip() or None, REGISTER_PAGE_SIZE, offset
        )
        pages = min(REGISTER_MAX_PAGES, max(1, -(-total // REGISTER_PAGE_SIZE)))
        return RegisterPage([_public(*row) for row in rows], total, page, pages)


def societies_and_fields(runtime: Runtime) -> tuple[list[tuple[str, str]], list[str]]:
    """The society codes with their names, and the field codes, for the filters of a page."""
    with runtime.unit_of_work() as uow:
        societies = [(s.code, s.name_zh) for s in uow.directory.societies()]
        fields = [f.code for f in uow.directory.fields()]
        return societies, fields
