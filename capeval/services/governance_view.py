"""Where an appeal, a piece of feedback or an authorization application stands, for the people who may see it.

The console's status pages (`/appeals/{reference}`, `/feedback/{reference}`, `/authorizations/{reference}`)
show this read-only view. Who may see it:

- an appeal or feedback: the people who took part in the matter (the appellant, everyone recorded on the
  evaluation case it concerns), the people appointed to it (panel, investigators), the workgroup and the
  society administrator of the case's society, the secretariat and the administrators;
- an authorization application: the applying society's workgroup and administrator, the secretariat and
  the administrators.

Anyone else gets `NotPermitted`; an unknown reference `NotFoundError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from capeval.models.unit_of_work import UnitOfWork
from capeval.states.authority import FEDERATION_ROLES, SOCIETY_ROLES
from capeval.states.errors import NotPermitted

from . import appeals, feedback
from .authority import is_staff
from .governance_steps import history_rows, load_case
from .runtime import Runtime

KINDS = ("appeal", "feedback", "authorization")


@dataclass(frozen=True)
class GovernanceStatus:
    """A governance case as its status page shows it."""

    kind: str
    reference: str
    subject: str
    stage: str
    step_due_on: date | None
    case_id: int | None
    history: list[dict[str, Any]]
    step_due_provisional: bool = False
    """`step_due_on` is 暂定: it reaches a year whose holiday schedule is not published yet."""


def _society_staff(uow: UnitOfWork, person: Any, society_id: int | None) -> bool:
    if any(is_staff(uow, person, role) for role in FEDERATION_ROLES):
        return True
    return society_id is not None and any(is_staff(uow, person, role, society_id) for role in SOCIETY_ROLES)


def governance_status(runtime: Runtime, kind: str, reference: str, person_id: int) -> GovernanceStatus:
    """The status of the `kind` case `reference`, if `person_id` may see it (see the module's list)."""
    with runtime.unit_of_work() as uow:
        person = uow.directory.person(person_id)
        if person is None or person.id is None:
            raise NotPermitted("account_session_missing")
        row = load_case(uow, kind, reference)
        assert row.id is not None
        case_id: int | None = getattr(row, "application_id", None)
        if kind == "authorization":
            society_id: int | None = row.society_id
            involved: set[int] = set()
        else:
            context = uow.applications.context(case_id) if case_id is not None else None
            society_id = context.case.society_id if context is not None else None
            took_part = appeals.participants(uow, row) if kind == "appeal" else feedback.participants(uow, row)
            appointed = {a.person_id for a in uow.governance.appointments(kind, row.id) if a.person_id is not None}
            involved = took_part | appointed
        if person.id not in involved and not _society_staff(uow, person, society_id):
            raise NotPermitted("web_governance_not_yours", actor=person.name, reference=row.reference)
        deadlines = uow.governance.open_deadlines(kind, row.id)
        subject = row.subject if kind != "authorization" else row.field_code
        return GovernanceStatus(
            kind,
            row.reference,
            subject,
            row.stage,
            deadlines[0].due_on if deadlines else None,
            case_id,
            history_rows(uow, kind, row),
            deadlines[0].provisional if deadlines else False,
        )
