"""The public register, searched the one way the web page, the API, the CLI and the demo all use.

By registration number, or by part of a holder's name (one character is enough), optionally narrowed to a
society and an engineering field, a page at a time by keyset (`after`: the last registration number seen).
What a row carries is what the public may see (Q&A Q31): name, level, field, society, validity, status and
the published changes by date and kind; never the ID number, contact details, evidence, who acted or the
internal reasons recorded with a change. The words a reader sees come from `register_labels`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from capeval.states.errors import InputError, NotFoundError
from capeval.states.messages import render_message

from .runtime import Runtime

PAGE_SIZE = 20
"""Rows on one page of a search unless asked otherwise."""
MAX_PAGE = 100
"""The most rows one page of a search returns."""


@dataclass(frozen=True)
class PublicChangeRow:
    """A published change of a certificate: when, what, and the status it left."""

    effective_on: date
    change: str
    status: str


@dataclass(frozen=True)
class RegisterRow:
    """One certificate as the public register shows it (codes, with the names the labels are made of)."""

    registration_number: str
    name: str
    level: str
    field: str
    field_name_zh: str
    field_name_en: str
    society: str
    society_name_zh: str
    society_name_en: str
    valid_from: date
    valid_until: date
    status: str
    changes: tuple[PublicChangeRow, ...]


@dataclass(frozen=True)
class RegisterPage:
    """One page of a search; `next_after` is the `after` of the next page (None: this is the last)."""

    rows: list[RegisterRow]
    next_after: str | None


def search_register(
    runtime: Runtime,
    *,
    name: str | None = None,
    number: str | None = None,
    society: str | None = None,
    field: str | None = None,
    limit: int = PAGE_SIZE,
    after: str | None = None,
) -> RegisterPage:
    """Certificates by registration `number`, or with `name` anywhere in the holder's name (`society` and
    `field` by code narrow either), at most `limit` (1 to 100) in registration-number order after `after`.

    An unknown society or field is refused with the known codes; a number nobody holds is not found."""
    name = (name or "").strip() or None
    number = (number or "").strip() or None
    society = (society or "").strip() or None
    field = (field or "").strip() or None
    after = (after or "").strip() or None
    if number and name:
        raise InputError("register_lookup_both")
    if not 1 <= limit <= MAX_PAGE:
        raise InputError("register_limit_out_of_range", limit=limit, maximum=MAX_PAGE)
    if name is None and number is None and society is None:
        raise InputError("register_search_empty")
    with runtime.unit_of_work() as uow:
        society_id = None
        if society:
            found = uow.directory.society_by_code(society) or uow.directory.society_by_code(society.upper())
            if found is None:
                known = ", ".join(s.code for s in uow.directory.societies())
                raise InputError("register_society_unknown", society=society, known=known)
            society_id = found.id
        if field and uow.directory.field(field) is None:
            known = ", ".join(f.code for f in uow.directory.fields())
            raise InputError("register_field_unknown", field=field, known=known)
        found_rows = uow.public_register.search(
            name_part=name, number=number, society_id=society_id, field_code=field, limit=limit + 1, after=after
        )
        if number and not found_rows and after is None:
            raise NotFoundError("register_certificate_missing", number=number)
        page = found_rows[:limit]
        changes: dict[int, list[PublicChangeRow]] = defaultdict(list)
        ids = [c.id for c, _, _, _ in page if c.id is not None]
        for line in uow.public_register.history_of(ids):
            changes[line.certificate_id].append(PublicChangeRow(line.effective_on, line.action, line.to_status))
        rows = [
            RegisterRow(
                registration_number=c.registration_number,
                name=p.name,
                level=c.level,
                field=c.field_code,
                field_name_zh=f.name_zh,
                field_name_en=f.name_en,
                society=s.code,
                society_name_zh=s.name_zh,
                society_name_en=s.name_en or s.name_zh,
                valid_from=c.term_starts_on,
                valid_until=c.expires_on,
                status=c.status,
                changes=tuple(changes[c.id or 0]),
            )
            for c, p, s, f in page
        ]
    more = len(found_rows) > limit
    return RegisterPage(rows, rows[-1].registration_number if more and rows else None)


def register_labels(row: RegisterRow, language: str) -> dict[str, str]:
    """The words a reader sees for a row in `language`: level, field, society and status."""
    chinese = language == "zh-CN"
    return {
        "level": render_message(f"level_{row.level}", {}, language),
        "field": row.field_name_zh if chinese else row.field_name_en,
        "society": row.society_name_zh if chinese else row.society_name_en,
        "status": status_label(row.status, language),
    }


def status_label(status: str, language: str) -> str:
    """A certificate status in words ("active" / "有效")."""
    return render_message(f"register_status_{status}", {}, language)


def change_label(change: str, language: str) -> str:
    """A published change in words ("issued" / "颁发")."""
    return render_message(f"register_change_{change}", {}, language)


def societies_and_fields(runtime: Runtime) -> tuple[list[tuple[str, str]], list[str]]:
    """The society codes with their names, and the field codes, for the filters of a page."""
    with runtime.unit_of_work() as uow:
        societies = [(s.code, s.name_zh) for s in uow.directory.societies()]
        fields = [f.code for f in uow.directory.fields()]
        return societies, fields
