"""How long a certificate is valid: its last valid day and its anniversaries (Q&A Q27, Q28).

Pure date arithmetic, shared by the certificate lifecycle (`certificates`) and the renewal policy
(`renewal_policy`), which reads it without loading the lifecycle's machine.
"""

from __future__ import annotations

from datetime import date, timedelta


def anniversary(day: date, years: int) -> date:
    """The `years`-th anniversary of `day` (29 Feb rolls to 1 Mar in a common year)."""
    year = day.year + years
    try:
        return day.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def expiry_date(issued_on: date, validity_years: int) -> date:
    """The last valid day: the day before the `validity_years`-th anniversary (29 Feb rolls to 1 Mar)."""
    return anniversary(issued_on, validity_years) - timedelta(days=1)


def renewed_expiry(expires_on: date, validity_years: int) -> date:
    """A renewal runs `validity_years` from the old expiry date (the day after it is the first renewed day)."""
    return expiry_date(expires_on + timedelta(days=1), validity_years)
