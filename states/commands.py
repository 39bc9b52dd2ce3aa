"""Commands: orders given to capeval, named as orders. Each has one handler in `capeval.services`."""

from __future__ import annotations

from dataclasses import dataclass, field

from .application import Action
from .levels import Level, Route


@dataclass(frozen=True)
class EvidenceRef:
    """A document the applicant supplies: its kind, where it is kept, and what it shows."""

    kind: str
    reference: str
    description: str = ""


@dataclass(frozen=True)
class ApplicantDetails:
    """Who applies. The ID number is used to match people and lifetime bans; it is never stored in clear."""

    name: str
    id_number: str
    email: str
    language: str = "zh-CN"
    employer: str = ""


@dataclass(frozen=True)
class CreateApplication:
    """Open a draft case for an applicant in a society and field."""

    applicant: ApplicantDetails
    society_code: str
    field_code: str
    level: Level
    route: Route
    self_statement: str
    evidence: tuple[EvidenceRef, ...] = ()
    commitment_signed: bool = False
    international_title: str | None = None
    batch: str = ""
    actor: str = "applicant"


@dataclass(frozen=True)
class ReviseMaterial:
    """Change the self-statement and/or add evidence while the case is a draft or returned (Q&A Q19)."""

    case_id: int
    actor: str
    self_statement: str | None = None
    evidence: tuple[EvidenceRef, ...] = ()
    sign_commitment: bool = False
    expected_version: int | None = None


@dataclass(frozen=True)
class AddSupplement:
    """Attach requested supplementary material; the only change allowed once material review starts (Q&A Q15)."""

    case_id: int
    actor: str
    evidence: tuple[EvidenceRef, ...] = field(default_factory=tuple)
    expected_version: int | None = None


@dataclass(frozen=True)
class TakeAction:
    """Fire one action of the application workflow (submit, return_for_revision, approve, ...)."""

    case_id: int
    action: Action
    actor: str
    reason: str = ""
    expected_version: int | None = None
