"""Write an outbox message as the email it becomes: sender, reference, link, policy numbers, invitation.

The outbox row holds what the event said (`context`); `Stationery` adds, per batch, what the database
knows about the senders and the cases (one query each), and `compose` makes the email: the society's (or
the federation secretariat's) name in From, its contact in Reply-To, the human reference, the console link
where the recipient acts, the numbers of the policy in force, and an iCalendar invitation for interviews.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from typing import Any, Protocol

from capeval.models.unit_of_work import UnitOfWork

from .ics import interview_invitation
from .letterheads import FEDERATION, Letterhead, letterhead, sender_of
from .links import ConsoleLinks
from .message import DEFAULT_FROM, Attachment, Envelope, MailIdentity, build_email
from .rendering import RenderedMessage, language_of, render
from .variables import DEFAULT_RULES

LISTS_OF_CASES = ("waiting", "deadlines")
"""Context lists whose items name a case (`case_id`): the digest's; their references are looked up too."""


class OutboxRow(Protocol):
    """What `compose` reads of an outbox message."""

    dedupe_key: str
    template: str
    recipient_name: str
    recipient_email: str
    language: str
    context: Any
    application_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class Stationery:
    """What one batch of messages is written with: the identity, the senders' directory entries, the cases."""

    identity: MailIdentity
    societies: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)
    """Society code -> (name_zh, name_en, email) from the directory."""
    cases: Mapping[int, tuple[str, str]] = field(default_factory=dict)
    """Case id -> (society code, reference)."""

    def letterhead(self, code: str) -> Letterhead:
        contact = str((self.identity.rules or DEFAULT_RULES).get("secretariat_email", ""))
        return letterhead(code, self.identity.letterheads, self.societies, self.identity.address, contact)

    def reference(self, case_id: Any) -> str:
        if not isinstance(case_id, int):
            return ""
        found = self.cases.get(case_id)
        return found[1] if found and found[1] else f"#{case_id}"


def stationery(uow: UnitOfWork, rows: Iterable[OutboxRow], identity: MailIdentity) -> Stationery:
    """The stationery of these rows: every society, and the society and reference of every case they name."""
    case_ids: set[int] = set()
    for row in rows:
        if row.application_id is not None:
            case_ids.add(row.application_id)
        context = row.context or {}
        if isinstance(context.get("case_id"), int):
            case_ids.add(context["case_id"])
        case_ids.update(_listed_cases(context))
    societies = {s.code.upper(): (s.name_zh, s.name_en, s.email) for s in uow.directory.societies()}
    return Stationery(identity, societies, uow.references.senders(case_ids))


def _listed_cases(context: Mapping[str, Any]) -> set[int]:
    """The cases lists in a context name: the digest's items, the cases a disqualification closed."""
    found = {c for c in context.get("closed_cases") or () if isinstance(c, int)}
    for name in LISTS_OF_CASES:
        for item in context.get(name) or ():
            if isinstance(item, dict) and isinstance(item.get("case_id"), int):
                found.add(item["case_id"])
    return found


def society_of(row_context: Mapping[str, Any], application_id: int | None, paper: Stationery) -> str | None:
    """The society a message is about: its case's, else the one its context names."""
    for case_id in (application_id, row_context.get("case_id")):
        if isinstance(case_id, int) and case_id in paper.cases:
            return paper.cases[case_id][0]
    code = row_context.get("society_code")
    return str(code) if code else None


def action_link(template: str, context: Mapping[str, Any], links: ConsoleLinks, case_reference: str) -> str:
    """The console page where the recipient does what the message asks (or follows its subject)."""
    family = template.split(".", 1)[0]
    if family == "review" and context.get("task_id") is not None:
        return links.task(context["task_id"])
    if family in ("application", "interview") and case_reference:
        return links.case(case_reference)
    if family == "certificate" and context.get("registration_number"):
        return links.renewal(str(context["registration_number"]))
    if family == "appeal" and context.get("reference"):
        return links.appeal(str(context["reference"]))
    if family == "feedback" and context.get("reference"):
        return links.feedback(str(context["reference"]))
    if family == "governance" and context.get("reference"):
        return links.governance(str(context.get("case_kind", "")), str(context["reference"]))
    if family == "authorization" and context.get("reference"):
        return links.governance("authorization", str(context["reference"]))
    if family == "workgroup" and context.get("society_code"):
        return links.inbox(str(context["society_code"]))
    if case_reference:
        return links.case(case_reference)
    return ""


def full_context(
    template: str,
    context: Mapping[str, Any],
    paper: Stationery,
    sender: Letterhead,
    language: str,
    application_id: int | None,
) -> dict[str, Any]:
    """The stored context with the envelope every message gets (see `variables.ENVELOPE_VARIABLES`)."""
    case_id = application_id if application_id is not None else context.get("case_id")
    reference = str(context.get("case_reference") or paper.reference(case_id))
    listed = {case: paper.reference(case) for case in _listed_cases(context)}
    links = ConsoleLinks(paper.identity.console_base_url)
    variables = {
        **context,
        "case_reference": reference if case_id is not None or context.get("case_reference") else "",
        "case_references": {**dict(context.get("case_references") or {}), **listed},
        "sender": sender.context(language),
        "rules": dict(paper.identity.rules or DEFAULT_RULES),
        "link": action_link(template, context, links, reference if case_id is not None else ""),
    }
    return {**variables, "quote": reference_of(variables)}


def reference_of(variables: Mapping[str, Any]) -> str:
    """The reference a message is filed under and the recipient quotes: its governance case's (appeal,
    feedback …), else its case's, else its certificate number."""
    for name in ("reference", "case_reference", "registration_number"):
        if variables.get(name):
            return str(variables[name])
    return ""


def write(
    template: str,
    language: str | None,
    context: Mapping[str, Any],
    paper: Stationery,
    application_id: int | None = None,
    *,
    society: str | None = None,
) -> tuple[RenderedMessage, Letterhead, dict[str, Any]]:
    """Render `template` as its sender writes it: (message, sender, the full context).

    `society` names the society the message is about when no case tells (previews)."""
    lang = language_of(language)
    society = society or society_of(context, application_id, paper)
    sender = paper.letterhead(sender_of(template, society))
    variables = full_context(template, context, paper, sender, lang, application_id)
    own = sender.code if sender.code != FEDERATION else FEDERATION
    rendered = render(template, lang, variables, society=own, overrides=paper.identity.templates_dir)
    return rendered, sender, variables


def compose(row: OutboxRow, paper: Stationery) -> EmailMessage:
    """The email of one outbox row."""
    context = dict(row.context or {})
    rendered, sender, variables = write(row.template, row.language, context, paper, row.application_id)
    lang = language_of(row.language)
    attachments: tuple[Attachment, ...] = ()
    if row.template == "interview.notice":
        attachments = (invitation(row, rendered, sender, variables, paper.identity.domain),)
    envelope = Envelope(
        from_name=sender.name(lang),
        from_address=sender.from_address,
        to_name=row.recipient_name,
        to_address=row.recipient_email,
        language=lang,
        reply_to=sender.reply_to if sender.reply_to != sender.from_address else "",
        reference=str(variables["quote"]),
        attachments=attachments,
    )
    return build_email(
        dedupe_key=row.dedupe_key,
        envelope=envelope,
        rendered=rendered,
        domain=paper.identity.domain,
        created_at=row.created_at,
    )


def invitation(
    row: OutboxRow, rendered: RenderedMessage, sender: Letterhead, variables: Mapping[str, Any], domain: str
) -> Attachment:
    """The `.ics` of an interview notice; its UID follows the dedupe key, so a resend updates one event."""
    starts_at = datetime.fromisoformat(str(variables["starts_at"]))
    link = str(variables.get("link") or "")
    text = rendered.text.split("\n--\n")[0].strip()
    content = interview_invitation(
        uid=f"{row.dedupe_key.replace(':', '-')}@{domain}",
        summary=rendered.subject,
        starts_at=starts_at,
        duration_minutes=int(variables["duration_minutes"]),
        place=str(variables.get("place") or ""),
        video_link=str(variables.get("video_link") or ""),
        description=text + (f"\n{link}" if link and link not in text else ""),
        organizer_name=sender.name(language_of(row.language)),
        organizer_email=sender.reply_to or sender.from_address,
        attendee_name=row.recipient_name,
        attendee_email=row.recipient_email,
        stamp=row.created_at,
    )
    return Attachment("interview.ics", "calendar", content, {"method": "REQUEST"})


@dataclass(frozen=True)
class ListedMessage:
    """One message as `capeval outbox list` shows it: the row, whom it is to, its subject and reference."""

    row: Any
    recipient: str
    subject: str
    reference: str


def listed_messages(uow: UnitOfWork, identity: MailIdentity, status: str | None, limit: int) -> list[ListedMessage]:
    """Up to `limit` messages oldest first, each with its subject as it is (or would be) sent."""
    from capeval.states.errors import CapevalError

    rows = list(uow.outbox.listing(status, limit))
    paper = stationery(uow, rows, identity)
    found = []
    for row in rows:
        context = dict(row.context or {})
        try:
            rendered, _, variables = write(row.template, row.language, context, paper, row.application_id)
            subject = rendered.subject
            reference = str(variables["quote"])
        except CapevalError as error:
            subject, reference = f"({error.problem.text('en')})", ""
        recipient = f"{row.recipient_name} <{row.recipient_email}>"
        found.append(ListedMessage(row, recipient, subject, reference))
    return found


def render_message(
    template: str,
    language: str | None,
    context: Mapping[str, Any],
    *,
    identity: MailIdentity | None = None,
    society: str | None = None,
) -> RenderedMessage:
    """Render `template` with its envelope but no database: the sender is `society` (or the federation),
    a case's reference is `case_reference` in the context, or `#<case id>`."""
    paper = Stationery(identity or MailIdentity.parse(DEFAULT_FROM))
    return write(template, language, context, paper, society=society)[0]
