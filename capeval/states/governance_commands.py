"""Commands of the governance cases, named as orders. Their handlers are in `capeval.services.governance`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .governance import Body
from .resolutions import Vote


@dataclass(frozen=True)
class FileFeedback:
    """Written feedback or a complaint about an evaluation, a registration or its management (Q&A Q40)."""

    sender_name: str
    sender_email: str
    sender_kind: str
    subject: str
    body: str
    case_id: int | None = None


@dataclass(frozen=True)
class ActOnFeedback:
    """register / assign_investigators (with `investigators`) / record_findings / answer (with `text`)."""

    reference: str
    action: str
    actor: str
    text: str = ""
    investigators: tuple[str, ...] = ()


@dataclass(frozen=True)
class LodgeAppeal:
    """Appeal a failed evaluation (`case_id`) or a certificate decision (`registration_number`).

    `actor` is the appellant, the person the decision concerns; the decision appealed against, its date and
    who took it are read from the recorded history, never typed.
    """

    actor: str
    subject: str
    grounds: tuple[str, ...]
    statement: str
    case_id: int | None = None
    registration_number: str | None = None


@dataclass(frozen=True)
class ActOnAppeal:
    """appoint_panel (with `panel`) / uphold (with `resolution`, `reopen_stage`) / dismiss (with `resolution`)."""

    reference: str
    action: str
    actor: str
    reason: str = ""
    panel: tuple[str, ...] = ()
    resolution: str | None = None
    reopen_stage: str | None = None


@dataclass(frozen=True)
class ApplyForAuthorization:
    """A member society applies to run evaluations in a field (Charter art. 16)."""

    society_code: str
    field_code: str
    statement: str
    actor: str


@dataclass(frozen=True)
class ActOnAuthorization:
    """pass_first_review / pass_committee_review / approve / refuse / withdraw, citing `resolution` where needed."""

    reference: str
    action: str
    actor: str
    reason: str = ""
    resolution: str | None = None


@dataclass(frozen=True)
class RecordResolution:
    """A meeting's resolution: the body, the motion, each member's vote, and what it decided.

    `votes` are keyed by the username or (unambiguous) name of a member of the body's roster on the
    meeting day; members not listed were absent. `actor` records the minutes.
    """

    body: Body
    motion: str
    votes: dict[str, Vote]
    actor: str
    held_on: date | None = None
    subjects: tuple[tuple[str, str], ...] = ()
