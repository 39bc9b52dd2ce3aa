"""Who takes each move of every workflow, checked against a table written out by hand.

The expected parties below are NOT derived from the move tables: they are the roles of DOMAIN.md and the
issue ("applicant of this case, workgroup of this society, an examiner assigned to this case, this case's
interview panel, a committee, the secretariat, the system's sweeps"). For every move the engine lets an
actor holding that party through to the guards and refuses every other party, before any guard is asked.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest

from capeval.states.authority import Actor, Sweep
from capeval.states.diagram import WORKFLOWS, party_table
from capeval.states.engine import Move, Workflow
from capeval.states.errors import NotPermitted
from capeval.states.levels import Route

APPLICATION = {
    "submit": "applicant",
    "resubmit": "applicant",
    "withdraw": "applicant",
    "provide_supplement": "applicant",
    "return_for_revision": "workgroup",
    "accept_for_review": "workgroup",
    "register": "workgroup",
    "disqualify": "workgroup",
    "lapse": "system",
    "request_supplement": "examiners",
    "pass_material_review": "examiners",
    "refer_to_further_assessment": "examiners",
    "fail_material_review": "examiners",
    "pass_assessment": "interview_panel",
    "fail_assessment": "interview_panel",
    "approve": "committee",
    "refer_back": "committee",
    "reject": "committee",
    "confirm_title": "secretariat",
    "decline_title": "secretariat",
    "reopen_to_material_review": "impartiality_committee",
    "reopen_to_further_assessment": "impartiality_committee",
    "reopen_to_committee_review": "impartiality_committee",
}
EXPECTED: dict[str, dict[tuple[str | None, str], str]] = {
    "application": {(None, action): party for action, party in APPLICATION.items()},
    "certificate": {
        (None, "suspend"): "society",
        (None, "restore"): "society",
        (None, "reinstate"): "impartiality_committee",
        (None, "renew"): "society",
        (None, "cancel"): "society",
        (None, "revoke"): "society",
        (None, "expire"): "system",
        (None, "supersede"): "system",
    },
    "review-task": {
        (None, "accept"): "examiner",
        (None, "decline"): "examiner",
        (None, "submit"): "examiner",
        (None, "expire"): "system",
        (None, "mark_overdue"): "system",
        (None, "cancel_orphaned"): "system",
        (None, "reassign"): "workgroup",
        (None, "cancel"): "workgroup",
    },
    "appeal": {
        (None, "appoint_panel"): "impartiality_committee",
        (None, "uphold"): "impartiality_committee",
        (None, "dismiss"): "impartiality_committee",
    },
    "feedback": {
        (None, "register"): "supervision_committee",
        (None, "assign_investigators"): "supervision_committee",
        (None, "record_findings"): "investigators",
        (None, "answer"): "supervision_committee",
    },
    "authorization": {
        ("first_review", "pass_first_review"): "secretariat",
        ("first_review", "refuse"): "secretariat",
        ("committee_review", "pass_committee_review"): "review_committee",
        ("committee_review", "refuse"): "review_committee",
        ("presidium_review", "approve"): "presidium",
        ("presidium_review", "refuse"): "presidium",
        ("authorized", "withdraw"): "presidium",
    },
}


class GuardsReached(Exception):
    """Raised by the facts as soon as a guard reads one: the party check has let the actor through."""


class Facts:
    """Facts whose only readable fact is the route; any other read means the guards were reached."""

    def __init__(self, route: Route) -> None:
        self.route = route

    def __getattr__(self, name: str) -> Any:
        raise GuardsReached(name)


def expected_party(name: str, move: Move[Any, Any]) -> str:
    table = EXPECTED[name]
    return table.get((None, move.action.value)) or table[(move.source.value, move.action.value)]


def parties_of(workflow: Workflow[Any, Any]) -> set[str]:
    return {str(move.by) for move in workflow.moves}


def cases() -> list[tuple[str, Move[Any, Any]]]:
    return [(name, move) for name, workflow in WORKFLOWS.items() for move in workflow.moves]


def route_for(move: Move[Any, Any]) -> Route:
    return next(iter(sorted(move.routes, key=str))) if move.routes else Route.STANDARD  # type: ignore[arg-type]


def test_the_hand_written_table_covers_every_move_and_nothing_else() -> None:
    for name, workflow in WORKFLOWS.items():
        actions = {move.action.value for move in workflow.moves}
        assert {action for _, action in EXPECTED[name]} == actions, name


@pytest.mark.parametrize(("name", "move"), cases(), ids=lambda value: str(getattr(value, "action", value)))
def test_the_party_of_the_move_reaches_the_guards_and_every_other_party_is_refused(
    name: str, move: Move[Any, Any]
) -> None:
    workflow = WORKFLOWS[name]
    party = expected_party(name, move)
    assert str(move.by) == party
    facts = Facts(route_for(move))
    holder = Actor("holder", "持有人", 1, frozenset({party}))
    with contextlib.suppress(GuardsReached):
        workflow.select(move.source, move.action, facts, holder)
    others = [*(parties_of(workflow) - {party}), "nobody"]
    for other in others:
        actor = Actor("other", "他人", 2, frozenset({other}))
        with pytest.raises(NotPermitted) as refused:
            workflow.select(move.source, move.action, facts, actor)
        assert refused.value.code == "authority_party_needed"


def test_a_sweep_holds_only_the_system() -> None:
    sweep = Actor.sweep(Sweep("deadline sweep"))
    assert sweep.holds == frozenset({"system"}) and sweep.person_id is None
    for name, move in cases():
        if str(move.by) != "system":
            with pytest.raises(NotPermitted):
                WORKFLOWS[name].select(move.source, move.action, Facts(route_for(move)), sweep)


def test_the_readme_lists_who_takes_which_action_as_the_move_tables_say() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    shown = readme.split("<!-- parties:start -->\n")[1].split("<!-- parties:end -->")[0]
    assert shown == party_table()
