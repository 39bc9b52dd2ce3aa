"""The key of ID-number digests, as the commands that match people by ID number take it.

Such a command refuses to run without a key, and refuses a key other than the one the database was keyed
with (it would match nobody, so every person would be recorded again and every lifetime ban missed). The
database keeps only the key's check value, set by the migration that keyed it or by the first command that
uses a key.
"""

from __future__ import annotations

from capeval.models.marks import ID_KEY_CHECK
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.errors import InputError
from capeval.states.identity import key_check

from .runtime import Runtime


def id_key(runtime: Runtime, uow: UnitOfWork) -> bytes:
    """The runtime's key, checked against this database (recorded in `uow` when the database has none yet)."""
    key = runtime.id_key
    if key is None:
        raise InputError("id_key_missing")
    check, stored = key_check(key), uow.marks.value(ID_KEY_CHECK)
    if stored is None:
        uow.marks.set(ID_KEY_CHECK, check, runtime.clock.now())
    elif stored != check:
        raise InputError("id_key_mismatch")
    return key
