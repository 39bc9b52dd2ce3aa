"""Record a meeting's resolution with each vote, and judge it by Charter art. 28, 31."""

from __future__ import annotations

from typing import Any

from capeval.models import Resolution, ResolutionSubject
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.errors import InputError, NotFoundError
from capeval.states.governance_commands import RecordResolution
from capeval.states.resolutions import count_votes, judge

from .governance_steps import new_reference
from .runtime import Runtime

SUBJECT_KINDS = ("application", "appeal", "authorization")


def record_resolution(runtime: Runtime, command: RecordResolution) -> dict[str, Any]:
    """Store the resolution, its votes, what it decided and whether it is valid; returns its record."""
    if not command.motion.strip():
        raise InputError("resolution_motion_missing")
    members, voted, in_favour = count_votes(command.votes)
    policy = runtime.governance
    verdict = judge(members, voted, in_favour, quorum=policy.quorum, majority=policy.majority)
    now, today = runtime.clock.now(), runtime.today()
    with runtime.unit_of_work() as uow:
        for kind, ref in command.subjects:
            _check_subject(uow, kind, ref)
        resolution = Resolution(
            reference=new_reference(uow, "resolution", today),
            body=command.body.value,
            motion=command.motion.strip(),
            held_on=command.held_on or today,
            votes={name: vote.value for name, vote in command.votes.items()},
            members=members,
            voted=voted,
            in_favour=in_favour,
            valid=verdict.valid,
            arithmetic="; ".join(verdict.arithmetic()),
            recorded_by=command.actor,
            created_at=now,
        )
        uow.governance.add(resolution)
        uow.flush()
        assert resolution.id is not None
        for kind, ref in dict.fromkeys(command.subjects):
            uow.governance.add(ResolutionSubject(resolution_id=resolution.id, kind=kind, ref=ref))
        uow.commit()
        return describe(resolution, list(dict.fromkeys(command.subjects)))


def show_resolution(runtime: Runtime, reference: str) -> dict[str, Any]:
    with runtime.unit_of_work() as uow:
        resolution = uow.governance.resolution(reference.strip())
        if resolution is None or resolution.id is None:
            raise NotFoundError("resolution_not_found", reference=reference)
        subjects = [(s.kind, s.ref) for s in uow.governance.subjects(resolution.id)]
        return describe(resolution, subjects)


def resolutions_for_case(runtime: Runtime, case_id: int) -> list[dict[str, Any]]:
    """The resolutions that decided an evaluation case (e.g. the committee meeting that approved its batch)."""
    with runtime.unit_of_work() as uow:
        rows = uow.governance.resolutions_about("application", str(case_id))
        return [describe(row, [(s.kind, s.ref) for s in uow.governance.subjects(row.id or 0)]) for row in rows]


def describe(resolution: Resolution, subjects: list[tuple[str, str]]) -> dict[str, Any]:
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
        "subjects": [f"{kind}:{ref}" for kind, ref in subjects],
    }


def _check_subject(uow: UnitOfWork, kind: str, ref: str) -> None:
    if kind not in SUBJECT_KINDS:
        raise InputError("resolution_subject_kind_unknown", kind=kind, choices=list(SUBJECT_KINDS))
    if kind == "application":
        if not ref.isdigit() or uow.applications.get(int(ref)) is None:
            raise NotFoundError("governance_evaluation_case_not_found", case_id=ref)
    elif uow.governance.by_reference(kind, ref) is None:
        raise NotFoundError("resolution_subject_not_found", kind=kind, ref=ref)
