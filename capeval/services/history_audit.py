"""`verify_histories`: replay every history and name each record whose stage or version it cannot explain.

Each kind of record is replayed against its own workflow (`states.history`); the rules of what the code
writes, and so what a history must show, are the ledgers below. The database's protection is checked
too: a history table without its append-only triggers is a finding of its own, and so are a missing trigger
of the kept counts by stage and a kept count that is not the number of its cases.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from capeval.models.append_only import missing_protection
from capeval.models.history_repository import TRAILS, Kept, Trail
from capeval.models.stage_count_check import missing_stage_count_triggers, stage_count_drift
from capeval.states import appeals, application, authorization, certificates, feedback, review
from capeval.states.errors import Problem
from capeval.states.history import Ledger, Standing, unexplained
from capeval.states.levels import Route
from capeval.states.messages import Term

from .governance_steps import REPROJECT_STEP
from .handlers import ADD_SUPPLEMENT, REVISE
from .renewals import RENEWAL_REFUSED
from .runtime import Runtime

VERIFY_BATCH = 500
"""Records replayed per read."""

KEEP_STAGE = frozenset({REPROJECT_STEP})
"""The governance lines that keep both the stage and the version: a step deadline re-projected."""

LEDGERS: dict[str, Ledger] = {
    "case": Ledger(application.WORKFLOW, "create", frozenset({REVISE, ADD_SUPPLEMENT}), versioned=True),
    "certificate": Ledger(certificates.WORKFLOW, certificates.Change.ISSUE.value, frozenset({RENEWAL_REFUSED})),
    "review_task": Ledger(review.TASK_WORKFLOW, "invite"),
    "feedback": Ledger(feedback.WORKFLOW, "file", KEEP_STAGE, versioned=True, unversioned=KEEP_STAGE),
    "appeal": Ledger(appeals.WORKFLOW, "lodge", KEEP_STAGE, versioned=True, unversioned=KEEP_STAGE),
    "authorization": Ledger(authorization.WORKFLOW, "apply", KEEP_STAGE, versioned=True, unversioned=KEEP_STAGE),
}
"""How each kind of history is replayed: its workflow, the action opening it, the actions keeping the stage.

A case's history counts versions: creation is version 1 and every line (a move, a revision of the
material, a supplement) raises it by one. A certificate counts its renewals: one `renew` line each.
Governance cases count versions; an upheld appeal that reopened its case raises its version once more
when it records the reopening, without a line; a step deadline re-projected after a schedule import is a
line that keeps the stage and the version (lines written before it kept the version raised it by one)."""


@dataclass(frozen=True)
class Verification:
    """What `verify_histories` found: each record its history does not explain, and how many were replayed."""

    findings: list[Problem] = field(default_factory=list)
    replayed: dict[str, int] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not self.findings


def verify_histories(runtime: Runtime, *, batch: int = VERIFY_BATCH) -> Verification:
    """Replay every history of the database; findings in the order of kinds, then of record ids."""
    result = Verification()
    with runtime.engine.connect() as connection:
        for table, trigger in missing_protection(connection):
            result.findings.append(Problem("history_protection_missing", {"table": table, "trigger": trigger}))
        for trigger in missing_stage_count_triggers(connection):
            result.findings.append(Problem("stage_count_trigger_missing", {"trigger": trigger}))
        for drift in stage_count_drift(connection):
            result.findings.append(Problem("stage_count_drift", drift._asdict()))
    for trail in TRAILS:
        count = 0
        for problem in _replay(runtime, trail, batch):
            count += 1
            if problem is not None:
                result.findings.append(problem)
        result.replayed[trail.kind] = count
    return result


def _replay(runtime: Runtime, trail: Trail, batch: int) -> Iterator[Problem | None]:
    """For each record of `trail`, in id order, what its history does not explain (None: it explains it)."""
    ledger, after = LEDGERS[trail.kind], 0
    while True:
        with runtime.unit_of_work() as uow:
            records = uow.trails.records(trail, after, batch)
            if not records:
                return
            lines = uow.trails.lines(trail, [kept.id for kept in records])
        for kept in records:
            yield unexplained(ledger, standing(trail.kind, kept), lines.get(kept.id, []))
        after = records[-1].id


def standing(kind: str, kept: Kept) -> Standing:
    """What the history of one stored record has to explain."""
    name = kept.values.get("registration_number") or kept.values.get("reference") or kept.id
    subject = Term(f"history_subject_{kind}", {"id": name})
    if kind == "case":
        route = Route(kept.values["route"])
        return Standing(subject, kept.stage, kept.version, route=route)
    if kind == "certificate":
        return Standing(subject, kept.stage, counts={certificates.Change.RENEW.value: int(kept.values["renewals"])})
    reopened = kind == "appeal" and kept.values.get("reopened_at") is not None
    return Standing(subject, kept.stage, kept.version, unrecorded_versions=1 if reopened else 0)
