"""Certificate rules: validity (Q&A Q27) and the registration-number scheme (Q&A Q28)."""

from __future__ import annotations

from datetime import date, timedelta


def expiry_date(issued_on: date, validity_years: int) -> date:
    """The last valid day: the day before the `validity_years`-th anniversary (29 Feb rolls to 1 Mar)."""
    year = issued_on.year + validity_years
    try:
        anniversary = issued_on.replace(year=year)
    except ValueError:
        anniversary = date(year, 3, 1)
    return anniversary - timedelta(days=1)


def registration_number(society_code: str, field_code: str, year: int, sequence: int) -> str:
    """`CE-<SOCIETY>-<FIELD>-<YEAR>-<NNNNN>`: unique per society, field and year; kept unchanged at renewal."""
    return f"CE-{society_code.upper()}-{field_code.upper()[:4]}-{year}-{sequence:05d}"
