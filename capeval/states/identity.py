"""PRC resident ID numbers (GB 11643-1999): validation, the keyed digest used for matching, the masked form shown.

The digest is HMAC-SHA-256, keyed with a secret that is kept outside the database, over the SHA-256 digest
of the number (what databases kept before keying): without the key a digest cannot be matched to a number,
however few numbers are possible, and a database of plain digests is keyed in place.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date

from .errors import InputError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_PATTERN = re.compile(r"^[0-9]{17}[0-9X]$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ\u3000", "0123456789Xx ")


def id_check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"expected 17 ASCII digits, got {first17!r}")
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalize_id_number(raw: str) -> str:
    """Validate an 18-character resident ID number and return it upper-cased; InputError says what is wrong.

    Fullwidth digits and a fullwidth Ｘ (what a Chinese input method types in full-width mode) are read as
    the ASCII ones; any other non-ASCII character, other scripts' digits and superscripts included, is
    refused as malformed.
    """
    value = raw.translate(_FULLWIDTH).strip().upper()
    if not _PATTERN.match(value):
        raise InputError("id_number_malformed")
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InputError("id_number_birth_date", digits=value[6:14]) from None
    if value[17] != id_check_character(value[:17]):
        raise InputError("id_number_check_character")
    return value


def plain_digest(id_number: str) -> str:
    """The unkeyed SHA-256 digest of the normalized number (what a database held before it was keyed)."""
    return hashlib.sha256(normalize_id_number(id_number).encode("ascii")).hexdigest()


def keyed_digest(plain: str, key: bytes) -> str:
    """HMAC-SHA-256 with `key` over a plain digest: how a stored plain digest is keyed in place."""
    return hmac.new(key, plain.encode("ascii"), hashlib.sha256).hexdigest()


def id_number_digest(id_number: str, key: bytes) -> str:
    """The keyed digest that matches a person and a lifetime ban without keeping the number."""
    return keyed_digest(plain_digest(id_number), key)


KEY_CHECK_LABEL = b"capeval: the key of ID-number digests"


def key_check(key: bytes) -> str:
    """A value that tells whether two keys are the same without revealing either (kept by the database)."""
    return hmac.new(key, KEY_CHECK_LABEL, hashlib.sha256).hexdigest()


ID_KEY_MIN_CHARS = 32
"""The fewest characters of a key: 32 random characters hold at least the 128 bits HMAC-SHA-256 wants."""


def checked_key(text: str, origin: str) -> bytes:
    """The key written in `text` (surrounding whitespace dropped) as bytes, or one line saying it is too short."""
    key = text.strip()
    if len(key) < ID_KEY_MIN_CHARS:
        raise InputError("id_key_too_short", origin=origin, chars=len(key), least=ID_KEY_MIN_CHARS)
    return key.encode("utf-8")


def mask_id_number(id_number: str) -> str:
    """The form that may be shown to staff: the area code only; birth date, sequence and check character hidden."""
    return normalize_id_number(id_number)[:6] + "*" * 12
