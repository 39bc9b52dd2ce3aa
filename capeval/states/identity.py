"""PRC resident ID numbers (GB 11643-1999): validation, the digest used for matching, the masked form shown."""

from __future__ import annotations

import hashlib
import re
from datetime import date

from .errors import InputError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_PATTERN = re.compile(r"^\d{17}[\dX]$")


def id_check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"expected 17 ASCII digits, got {first17!r}")
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalize_id_number(raw: str) -> str:
    """Validate an 18-character resident ID number and return it upper-cased; InputError says what is wrong."""
    value = raw.strip().upper()
    if not _PATTERN.match(value):
        raise InputError("id_number_malformed")
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InputError("id_number_birth_date", digits=value[6:14]) from None
    if value[17] != id_check_character(value[:17]):
        raise InputError("id_number_check_character")
    return value


def id_number_digest(id_number: str) -> str:
    """The SHA-256 digest that matches a person and a lifetime ban without keeping the number."""
    return hashlib.sha256(normalize_id_number(id_number).encode("ascii")).hexdigest()


def mask_id_number(id_number: str) -> str:
    """The form that may be shown to staff: area code and check character only."""
    value = normalize_id_number(id_number)
    return f"{value[:6]}{'*' * 11}{value[17]}"
