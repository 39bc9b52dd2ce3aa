"""Who may run an operator's command (set a console password, load a directory file): a federation
administrator named as the acting person, or anyone while the database holds no administrator yet (so a
fresh installation can load its first directory and set its first password)."""

from __future__ import annotations

from capeval.models.unit_of_work import UnitOfWork
from capeval.states.authority import StaffRole
from capeval.states.errors import NotPermitted

from .authority import is_staff, person_acting
from .runtime import Runtime


def has_administrator(uow: UnitOfWork) -> bool:
    """Whether anybody holds the federation's administrator role."""
    return bool(uow.directory.staff(StaffRole.ADMINISTRATOR.value, None))


def check_operator(uow: UnitOfWork, actor: str | None) -> None:
    """Refuse (NotPermitted) unless `actor` names a federation administrator, or nobody is one yet and no
    actor is named."""
    if actor is None or not actor.strip():
        if has_administrator(uow):
            raise NotPermitted("operator_actor_missing")
        return
    person = person_acting(uow, actor)
    if not is_staff(uow, person, StaffRole.ADMINISTRATOR):
        raise NotPermitted("operator_not_administrator", actor=person.name)


def operator_checked(runtime: Runtime, actor: str | None) -> None:
    """`check_operator` in a unit of work of its own (for a command whose change opens its own)."""
    with runtime.unit_of_work() as uow:
        check_operator(uow, actor)
