"""The public register and the federation's change report (Q&A Q31).

The register shows only what the public may see: name, level, field, society, validity, status and the
published changes. It never reads the ID number (masked or digested), contact details or evidence.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from capeval.models import Certificate, Person, Society
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.errors import InputError, NotFoundError

from .runtime import Runtime

REPORT_COLUMNS = (
    "effective_on",
    "registration_number",
    "holder_name",
    "society",
    "field",
    "level",
    "change",
    "from_status",
    "to_status",
    "reason",
    "actor",
    "expires_on",
)


@dataclass(frozen=True)
class PublicChange:
    """A published change of a certificate."""

    effective_on: date
    change: str
    status: str
    reason: str


@dataclass(frozen=True)
class RegisterEntry:
    """One certificate as the public register shows it."""

    registration_number: str
    name: str
    level: str
    field: str
    society: str
    society_name: str
    issued_on: date
    expires_on: date
    status: str
    superseded_by: str | None
    changes: list[PublicChange]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _entry(uow: UnitOfWork, certificate: Certificate, person: Person, society: Society) -> RegisterEntry:
    assert certificate.id is not None
    changes = [
        PublicChange(h.effective_on, h.action, h.to_status, h.reason) for h in uow.certificates.history(certificate.id)
    ]
    return RegisterEntry(
        registration_number=certificate.registration_number,
        name=person.name,
        level=certificate.level,
        field=certificate.field_code,
        society=society.code,
        society_name=society.name_zh,
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        status=certificate.status,
        superseded_by=certificate.superseded_by,
        changes=changes,
    )


def lookup(
    runtime: Runtime, *, number: str | None = None, name: str | None = None, society: str | None = None
) -> list[RegisterEntry]:
    """Find certificates by registration number, or by holder name and society code."""
    if number:
        if name or society:
            raise InputError("register_lookup_both")
        with runtime.unit_of_work() as uow:
            found = uow.certificates.with_holder(number.strip())
            if found is None:
                raise NotFoundError("register_certificate_missing", number=number)
            return [_entry(uow, *found)]
    if not name or not society:
        raise InputError("register_lookup_incomplete")
    with runtime.unit_of_work() as uow:
        rows = uow.certificates.by_name_and_society(name.strip(), society.strip())
        if not rows:
            raise NotFoundError("register_name_missing", name=name, society=society)
        return [_entry(uow, *row) for row in rows]


def change_report(runtime: Runtime, start: date, end: date) -> list[dict[str, Any]]:
    """Every certificate change effective from `start` to `end`, for the federation (Q&A Q31)."""
    if end < start:
        raise InputError("register_report_reversed", start=start, end=end)
    with runtime.unit_of_work() as uow:
        return [
            {
                "effective_on": h.effective_on.isoformat(),
                "registration_number": c.registration_number,
                "holder_name": p.name,
                "society": s.code,
                "field": c.field_code,
                "level": c.level,
                "change": h.action,
                "from_status": h.from_status or "",
                "to_status": h.to_status,
                "reason": h.reason,
                "actor": h.actor,
                "expires_on": c.expires_on.isoformat(),
            }
            for h, c, p, s in uow.certificates.changes_between(start, end)
        ]


def write_report(rows: list[dict[str, Any]], path: Path) -> None:
    """Write the change report as UTF-8 CSV (with BOM, so spreadsheet programs read the Chinese)."""
    try:
        with path.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(REPORT_COLUMNS))
            writer.writeheader()
            writer.writerows(rows)
    except OSError as error:
        raise InputError("register_report_unwritable", path=path, reason=error.strerror) from None
