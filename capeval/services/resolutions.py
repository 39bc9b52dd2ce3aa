"""Record a meeting's resolution with each vote, and judge it by Charter art. 28, 31.

The members counted are the roster of the body on the meeting day, not the names someone listed: each vote
names a member of that roster (by username, or by a name only one member bears), members not listed were
absent. The minutes are recorded by the secretariat or by a member of the body (policy
`resolution_recorded_by`). Nobody who took part in a matter the resolution decides votes on it (Charter
art. 11): such a vote is refused, and the member counts as absent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from capeval.models import Person, Resolution, ResolutionSubject
from capeval.models.governance import Appeal, AuthorizationApplication, Feedback
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.authority import StaffRole
from capeval.states.errors import DomainError, InputError, NotFoundError, NotPermitted
from capeval.states.governance import Body, body_term
from capeval.states.governance_commands import RecordResolution
from capeval.states.governance_policy import GovernancePolicy
from capeval.states.resolutions import Vote, count_votes, judge, on_roster

from .appeals import participants as appeal_participants
from .authority import is_staff, person_acting
from .authorizations import APPLYING_ROLES
from .feedback import participants as feedback_participants
from .governance_steps import new_reference
from .runtime import Runtime

SUBJECT_KINDS = ("application", "appeal", "authorization", "feedback")


def record_resolution(runtime: Runtime, command: RecordResolution) -> dict[str, Any]:
    """Store the resolution, every roster member's vote, what it decided and whether it is valid; returns it."""
    if not command.motion.strip():
        raise InputError("resolution_motion_missing")
    now, today = runtime.clock.now(), runtime.today()
    held_on = command.held_on or today
    if held_on > today:
        raise InputError("resolution_held_later", held_on=held_on, today=today)
    body = command.body
    with runtime.unit_of_work() as uow:
        recorder = person_acting(uow, command.actor)
        roster = uow.directory.roster(body.value, held_on)
        _check_recorder(uow, recorder, roster, runtime.governance, body, held_on)
        if not roster:
            raise DomainError("resolution_roster_empty", body=body_term(body), held_on=held_on)
        subjects = list(dict.fromkeys(command.subjects))
        for kind, ref in subjects:
            _check_subject(uow, kind, ref)
        cast = _cast(roster, command.votes, body, held_on)
        excluded = excluded_from(uow, subjects)
        barred = sorted(
            p.name for p in roster if p.id in excluded and cast.get(p.username, Vote.ABSENT) is not Vote.ABSENT
        )
        if barred:
            raise NotPermitted(
                "resolution_voters_excluded", names=barred, subjects=[f"{kind}:{ref}" for kind, ref in subjects]
            )
        votes = on_roster([person.username for person in roster], cast)
        members, voted, in_favour = count_votes(votes)
        policy = runtime.governance
        verdict = judge(members, voted, in_favour, quorum=policy.quorum, majority=policy.majority)
        resolution = Resolution(
            reference=new_reference(uow, "resolution", today),
            body=body.value,
            motion=command.motion.strip(),
            held_on=held_on,
            votes={username: vote.value for username, vote in votes.items()},
            members=members,
            voted=voted,
            in_favour=in_favour,
            valid=verdict.valid,
            arithmetic="; ".join(verdict.arithmetic()),
            recorded_by=recorder.name,
            recorded_by_id=recorder.id,
            created_at=now,
        )
        uow.governance.add(resolution)
        uow.flush()
        assert resolution.id is not None
        for kind, ref in subjects:
            uow.governance.add(ResolutionSubject(resolution_id=resolution.id, kind=kind, ref=ref))
        uow.commit()
        return describe(resolution, subjects, {person.username: person.name for person in roster})


def show_resolution(runtime: Runtime, reference: str) -> dict[str, Any]:
    with runtime.unit_of_work() as uow:
        resolution = uow.governance.resolution(reference.strip())
        if resolution is None or resolution.id is None:
            raise NotFoundError("resolution_not_found", reference=reference)
        subjects = [(s.kind, s.ref) for s in uow.governance.subjects(resolution.id)]
        return describe(resolution, subjects, _names(uow, resolution))


def resolutions_for_case(runtime: Runtime, case_id: int) -> list[dict[str, Any]]:
    """The resolutions that decided an evaluation case (e.g. the committee meeting that approved its batch)."""
    with runtime.unit_of_work() as uow:
        rows = uow.governance.resolutions_about("application", str(case_id))
        return [
            describe(row, [(s.kind, s.ref) for s in uow.governance.subjects(row.id or 0)], _names(uow, row))
            for row in rows
        ]


def describe(
    resolution: Resolution, subjects: Sequence[tuple[str, str]], names: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A resolution as the CLI shows it; `votes` by username, `voters` with each member's name."""
    names = names or {}
    return {
        "reference": resolution.reference,
        "body": resolution.body,
        "motion": resolution.motion,
        "held_on": resolution.held_on,
        "members": resolution.members,
        "voted": resolution.voted,
        "in_favour": resolution.in_favour,
        "valid": resolution.valid,
        "arithmetic": resolution.arithmetic,
        "votes": resolution.votes,
        "voters": [
            {"username": username, "name": names.get(username, username), "vote": vote}
            for username, vote in resolution.votes.items()
        ],
        "recorded_by": resolution.recorded_by,
        "subjects": [f"{kind}:{ref}" for kind, ref in subjects],
    }


def excluded_from(uow: UnitOfWork, subjects: Sequence[tuple[str, str]]) -> set[int]:
    """The ids of everyone who may not vote on these subjects: whoever took part in an appeal's or a
    feedback's matter, the applicant of a case, the workgroup and administrator of an applying society."""
    found: set[int] = set()
    for kind, ref in subjects:
        row = uow.governance.by_reference(kind, ref) if kind != "application" else None
        if isinstance(row, Appeal):
            found |= appeal_participants(uow, row)
        elif isinstance(row, Feedback):
            found |= feedback_participants(uow, row)
        elif isinstance(row, AuthorizationApplication):
            for role in APPLYING_ROLES:
                found |= {p.id for p in uow.directory.staff(role.value, row.society_id) if p.id is not None}
        elif kind == "application":
            case = uow.applications.get(int(ref))
            if case is not None:
                found.add(case.person_id)
    return found


def _cast(roster: Sequence[Person], votes: Mapping[str, Vote], body: Body, held_on: date) -> dict[str, Vote]:
    """Each vote given, by the username of the roster member it names; a name outside the roster is refused."""
    by_username = {person.username: person for person in roster}
    cast: dict[str, Vote] = {}
    outsiders: list[str] = []
    for voter, vote in votes.items():
        member = by_username.get(voter)
        if member is None:
            named = [person for person in roster if person.name == voter]
            if len(named) > 1:
                raise InputError(
                    "resolution_voter_ambiguous",
                    voter=voter,
                    body=body_term(body),
                    usernames=[p.username for p in named],
                )
            if not named:
                outsiders.append(voter)
                continue
            member = named[0]
        if member.username in cast:
            raise InputError("resolution_voter_twice", name=member.name, username=member.username)
        cast[member.username] = vote
    if outsiders:
        raise NotPermitted(
            "resolution_voters_not_members",
            voters=outsiders,
            body=body_term(body),
            held_on=held_on,
            members=[f"{p.name} ({p.username})" for p in roster],
        )
    return cast


def _check_recorder(
    uow: UnitOfWork, recorder: Person, roster: Sequence[Person], policy: GovernancePolicy, body: Body, held_on: date
) -> None:
    """The secretariat records the minutes, and (unless the policy keeps it to the secretariat) a member."""
    if is_staff(uow, recorder, StaffRole.SECRETARIAT):
        return
    if policy.resolution_recorded_by == "secretariat":
        raise NotPermitted("resolution_recorder_not_secretariat", actor=recorder.name, body=body_term(body))
    if recorder.id not in {person.id for person in roster}:
        raise NotPermitted(
            "resolution_recorder_not_permitted", actor=recorder.name, body=body_term(body), held_on=held_on
        )


def _names(uow: UnitOfWork, resolution: Resolution) -> dict[str, str]:
    found: dict[str, str] = {}
    for username in resolution.votes:
        person = uow.directory.person_by_username(username)
        if person is not None:
            found[username] = person.name
    return found


def _check_subject(uow: UnitOfWork, kind: str, ref: str) -> None:
    if kind not in SUBJECT_KINDS:
        raise InputError("resolution_subject_kind_unknown", kind=kind, choices=list(SUBJECT_KINDS))
    if kind == "application":
        if not ref.isdigit() or uow.applications.get(int(ref)) is None:
            raise NotFoundError("governance_evaluation_case_not_found", case_id=ref)
    elif uow.governance.by_reference(kind, ref) is None:
        raise NotFoundError("resolution_subject_not_found", kind=kind, ref=ref)
