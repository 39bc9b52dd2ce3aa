"""Who may act: the roles of the directory, the person taking a step, and the parties they hold for it.

A workflow move names the party that takes it (`Move.by`). The service layer works out, for one person
and one subject (a case, a task, a certificate, a governance case), which parties that person holds —
applicant of this case, workgroup of its society, examiner assigned to it, a member of a committee on
the day — and hands the engine an `Actor`. The engine refuses a move whose party the actor does not
hold, before any guard is asked (`NotPermitted`). Sweeps act as a `Sweep`, which holds only the system.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from .errors import NotPermitted
from .messages import Term


class StaffRole(StrEnum):
    """A staff role a person holds: for one society (workgroup, society administrator) or the federation."""

    WORKGROUP = "workgroup"
    SOCIETY_ADMINISTRATOR = "society_administrator"
    SECRETARIAT = "secretariat"
    ADMINISTRATOR = "administrator"


SOCIETY_ROLES = frozenset({StaffRole.WORKGROUP, StaffRole.SOCIETY_ADMINISTRATOR})
"""Roles held for one society (学会工作组; the society administrator of CPD-2024 art. 12)."""
FEDERATION_ROLES = frozenset({StaffRole.SECRETARIAT, StaffRole.ADMINISTRATOR})
"""Roles held for the federation (秘书处, Charter art. 6-7; the administrators who keep the directory)."""

SYSTEM = "system"
"""The value every workflow's party enum gives its scheduled sweeps."""


@dataclass(frozen=True)
class Sweep:
    """A scheduled sweep acting on its own (deadline lapses, expiries, reminders): it holds only `system`."""

    name: str


@dataclass(frozen=True)
class Actor:
    """The one person (or sweep) taking a step, and the parties they hold for the subject at hand."""

    username: str
    name: str
    person_id: int | None
    holds: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def sweep(cls, sweep: Sweep) -> Actor:
        """The actor of a scheduled sweep: no person, holding only the system party."""
        return cls(username=f"{SYSTEM}:{sweep.name}", name=sweep.name, person_id=None, holds=frozenset({SYSTEM}))

    def holding(self, parties: Iterable[StrEnum | str]) -> Actor:
        """This person, holding `parties` for the subject at hand."""
        return Actor(self.username, self.name, self.person_id, frozenset(str(party) for party in parties))

    def may(self, party: StrEnum | str) -> bool:
        return str(party) in self.holds

    @property
    def label(self) -> str:
        """How the history shows who acted."""
        return self.name


def party_term(party: StrEnum | str) -> Term:
    """The name of a party as a word of the message catalog ("the workgroup of the case's society")."""
    return Term(f"party_{party}")


def require(actor: Actor, party: StrEnum | str, action: StrEnum | str) -> None:
    """Refuse unless `actor` holds `party`, the one that takes `action`."""
    if actor.may(party):
        return
    raise NotPermitted("authority_party_needed", actor=actor.name, action=str(action), party=party_term(party))
