"""Commands: orders given to capeval, named as orders. Each has one handler in `capeval.services`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .application import Action
from .authority import Sweep
from .certificates import Change
from .cpd import Activity
from .evidence import Basis
from .levels import Level, Route
from .uploads import StoredFile
from .work_experience import ExperiencePeriod


@dataclass(frozen=True)
class EvidenceRef:
    """A document the applicant supplies: its kind, where it is kept, and what it shows.

    `document` is the file itself when it was handed in and kept in the document store; a bare reference
    (None) names a document capeval does not hold.
    """

    kind: str
    reference: str
    description: str = ""
    document: StoredFile | None = None


@dataclass(frozen=True)
class ApplicantDetails:
    """Who applies. The ID number is used to match people and lifetime bans; it is never stored in clear."""

    name: str
    id_number: str
    email: str
    language: str = "zh-CN"
    employer: str = ""
    username: str = ""


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
    international_title_issuer: str | None = None
    international_title_expires_on: date | None = None
    batch: str = ""
    work_experience: tuple[ExperiencePeriod, ...] = ()
    """The periods of professional work experience the applicant declares (Q&A Q33, Q37)."""
    submit: bool = False
    """Submit the new case in the same transaction: a refused submission leaves no draft behind."""


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
    """Fire one action of the application workflow (submit, return_for_revision, approve, ...).

    `actor` names the person acting (a username, or an unambiguous name); a scheduled sweep acts as a Sweep.
    `basis` is the record a decision rests on (a review round, an interview, a committee resolution): the
    guards of those moves refuse without it.
    """

    case_id: int
    action: Action
    actor: str | Sweep
    reason: str = ""
    expected_version: int | None = None
    basis: Basis | None = None


@dataclass(frozen=True)
class ChangeCertificate:
    """Suspend, restore, cancel (注销) or revoke (撤销) a certificate, with a reason (Q&A Q31).

    `fraud` marks a revocation for false material: the holder is banned for life (Q&A Q14).
    """

    registration_number: str
    change: Change
    actor: str
    reason: str = ""
    fraud: bool = False


@dataclass(frozen=True)
class ApplyForRenewal:
    """The member applies for renewal within the renewal window before the last valid day (Q&A Q23, Q28)."""

    registration_number: str
    actor: str


@dataclass(frozen=True)
class RenewCertificate:
    """Renew before expiry after the society reviewed CPD for each year of validity (Q&A Q23, Q28)."""

    registration_number: str
    actor: str
    reason: str = ""


@dataclass(frozen=True)
class RefuseRenewal:
    """The society refuses a renewal applied for, with its reasons; the holder may appeal (Charter art. 11)."""

    registration_number: str
    actor: str
    reason: str


@dataclass(frozen=True)
class GrantCpdExemption:
    """Excuse one year's CPD under the society's contingency plan, with evidence (CPD-2024 art. 9; Q&A Q25)."""

    registration_number: str
    year: int
    reason: str
    evidence: str
    actor: str


@dataclass(frozen=True)
class RecordCpdActivities:
    """Add activities to a member's CPD ledger (CPD-2024 art. 17); `source` is member or platform.

    `where` names each activity in a refusal (`activities[2]`, `line 4`; default `activities[i]`).
    """

    registration_number: str
    activities: tuple[Activity, ...]
    actor: str
    source: str = "member"
    where: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordLecturer:
    """The society records that the holder is a qualified lecturer from `since` (CPD-2024 art. 13(3), 14)."""

    registration_number: str
    since: date
    actor: str
    until: date | None = None


@dataclass(frozen=True)
class ChooseCpdPolicy:
    """Choose the CPD policy a society applies: cpd-2024 (default), cpd-en or ce-2026."""

    society_code: str
    policy: str
    actor: str
    from_year: int | None = None
    """The first year the policy judges; the current year when None (CE-2026 art. 31: never a past one)."""
