"""Human references of cases: `<society code>-<year of creation>-<4-digit sequence of that society and year>`.

`DES-2026-0004` is the fourth case the society DES opened in 2026. A reference never changes, and the
console and the CLI accept it wherever they accept a case id.
"""

from __future__ import annotations

import re

_PATTERN = re.compile(r"^(?P<code>[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*?)-(?P<year>\d{4})-(?P<seq>\d{4,})$")


def case_reference(society_code: str, year: int, sequence: int) -> str:
    """The reference of the `sequence`-th case of `society_code` opened in `year`."""
    return f"{society_code.upper()}-{year:04d}-{sequence:04d}"


def looks_like_reference(text: str) -> bool:
    """Whether `text` has the shape of a case reference (society code, year, sequence)."""
    return _PATTERN.match(text.strip()) is not None
