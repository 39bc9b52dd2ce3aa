"""Case references read back: the case a reference (`DES-2026-0004`) or a plain id names; the outbox as
operators list it, each message with its recipient, subject and reference."""

from __future__ import annotations

from typing import TYPE_CHECKING

from capeval.states.errors import InputError, NotFoundError
from capeval.states.references import looks_like_reference

from .runtime import Runtime

if TYPE_CHECKING:
    from capeval.notifications.compose import ListedMessage


def case_id_for(runtime: Runtime, text: str) -> int:
    """The id of the case `text` names: a case id (`4`) or a case reference (`DES-2026-0004`)."""
    value = text.strip()
    if value.isdigit():
        return int(value)
    if not looks_like_reference(value):
        raise InputError("case_ref_malformed", text=text)
    with runtime.unit_of_work() as uow:
        found = uow.references.case_id(value)
    if found is None:
        raise NotFoundError("case_ref_unknown", reference=value.upper())
    return found


def case_references(runtime: Runtime, case_ids: list[int]) -> dict[int, str]:
    """The reference of each of these cases."""
    with runtime.unit_of_work() as uow:
        return uow.references.of_cases(case_ids)


def outbox_listing(runtime: Runtime, status: str | None, limit: int) -> list[ListedMessage]:
    """The outbox as `capeval outbox list` shows it: each message with its recipient, subject and reference."""
    from capeval.notifications.compose import listed_messages

    with runtime.unit_of_work() as uow:
        return listed_messages(uow, runtime.mail_identity, status, limit)
