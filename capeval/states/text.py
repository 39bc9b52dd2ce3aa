"""Text entering capeval: what can be stored at all, and how names and email addresses must look.

One rule for every text a database is given (`unstorable`): no NUL character and no lone surrogate,
which PostgreSQL refuses and SQLite would keep. Names and email addresses are checked where they enter
(a directory file, an application, a registration): a name is at most `NAME_MAX_CHARS` characters
without control characters or line breaks; an address has the form local@domain.tld, no spaces or
control characters, at most `EMAIL_MAX_CHARS`. Each refusal is one coded line naming the field.
"""

from __future__ import annotations

import re
import unicodedata

from .errors import InputError

NAME_MAX_CHARS = 100
"""The longest name a person may have (the directory's column)."""
EMAIL_MAX_CHARS = 200
"""The longest email address (the directory's column; RFC 5321 allows 254 but no one has one so long)."""

_EMAIL = re.compile(r"^[^@\s\"(),:;<>\[\\\]]{1,64}@(?:[^@\s\"(),:;<>\[\\\].]+\.)+[^@\s\"(),:;<>\[\\\].]+$")
_SURROGATE = re.compile("[\ud800-\udfff]")


def unstorable(value: str) -> bool:
    """Whether `value` cannot be stored: it holds a NUL character or a lone surrogate."""
    return "\x00" in value or _SURROGATE.search(value) is not None


def refuse_unstorable(value: str, where: str) -> str:
    """`value`, or one line naming `where` when it holds a NUL or a lone surrogate."""
    if "\x00" in value:
        raise InputError("text_nul_character", where=where)
    if _SURROGATE.search(value):
        raise InputError("text_lone_surrogate", where=where)
    return value


def _has_control(value: str) -> bool:
    return any(unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") for char in value)


def checked_name(value: str, where: str) -> str:
    """A person's (or body's) name as typed, without surrounding spaces; refused with control characters,
    line breaks, empty or longer than `NAME_MAX_CHARS`."""
    refuse_unstorable(value, where)
    name = value.strip()
    if not name:
        raise InputError("text_name_empty", where=where)
    if _has_control(name):
        raise InputError("text_name_control", where=where)
    if len(name) > NAME_MAX_CHARS:
        raise InputError("text_too_long", where=where, limit=NAME_MAX_CHARS, length=len(name))
    return name


def checked_email(value: str, where: str) -> str:
    """An email address without surrounding spaces, of the form local@domain.tld; else one line saying so."""
    refuse_unstorable(value, where)
    address = value.strip()
    if len(address) > EMAIL_MAX_CHARS:
        raise InputError("text_too_long", where=where, limit=EMAIL_MAX_CHARS, length=len(address))
    if _has_control(address) or not _EMAIL.match(address):
        raise InputError("text_email_invalid", where=where, value=ascii(address)[1:-1][:80])
    return address
