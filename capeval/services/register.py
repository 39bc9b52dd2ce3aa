"""The federation's change report of the public register (Q&A Q31); searching the register is
`public_register`."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from capeval.states.errors import InputError
from capeval.states.stored_reasons import reason_text

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


def change_report(runtime: Runtime, start: date, end: date, language: str | None = None) -> list[dict[str, Any]]:
    """Every certificate change effective from `start` to `end`, for the federation (Q&A Q31); the reasons
    capeval recorded itself in `language` (the settings' language when not given)."""
    words = language or runtime.settings.lang
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
                "reason": reason_text(h.reason, words),
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
