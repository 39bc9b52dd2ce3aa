"""Usernames: the one name every person acts under (`--actor`), unique across capeval."""

from __future__ import annotations

import re

from .errors import InputError

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,59}")
"""Lower-case letters, digits, '.', '_' and '-', 2 to 60 characters, starting with a letter or digit."""


def checked_username(text: str, where: str) -> str:
    """`text` as a username, or an InputError naming the rule."""
    if USERNAME.fullmatch(text) is None:
        raise InputError("username_malformed", where=where, username=text)
    return text


def username_base(email: str, fallback: str) -> str:
    """The username a person gets when none is given: the local part of the email, made valid."""
    local = re.sub(r"[^a-z0-9._-]+", "-", email.split("@")[0].lower()).strip("-._")
    return local if USERNAME.fullmatch(local) else fallback


def free_username(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… the first not in `taken`."""
    name, serial = base, 1
    while name in taken:
        serial += 1
        name = f"{base}-{serial}"
    return name
