"""The one workflow engine: every workflow is a table of it, guards run once, one diagram function."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

import pytest

from capeval.states import appeals, authorization, certificates, feedback
from capeval.states.application import MACHINE, WORKFLOW
from capeval.states.application import Action as A
from capeval.states.application import Stage as S
from capeval.states.diagram import WORKFLOWS, mermaid
from capeval.states.engine import Guard, Move, Workflow, changed_by_someone_else, ensure_unchanged
from capeval.states.errors import ConcurrencyConflict, GuardRefused, IllegalTransition, Problem
from capeval.states.evidence import Grounds
from capeval.states.guards import ApplicationFacts
from capeval.states.levels import Level, Route
from capeval.states.review import TASK_WORKFLOW

README = Path(__file__).resolve().parents[2] / "README.md"


class Light(StrEnum):
    RED = "red"
    GREEN = "green"


class Turn(StrEnum):
    GO = "go"
    STOP = "stop"


class Who(StrEnum):
    DRIVER = "driver"


@dataclass
class Counted:
    calls: int = 0
    refuse: bool = False


def counting(facts: Counted) -> str | None:
    facts.calls += 1
    return "the road is closed" if facts.refuse else None


def coded(facts: Counted) -> Problem | None:
    return Problem("illegal_transition_closed", {"stage": "x", "action": "y"}) if facts.refuse else None


COUNTING = Guard[Counted]("road_open", "test rule 1", counting)
CODED = Guard[Counted]("coded", "test rule 2", coded)
LIGHTS: Workflow[Light, Turn] = Workflow(
    "lights",
    Light,
    Light.RED,
    (
        Move(Turn.GO, Light.RED, Light.GREEN, Who.DRIVER, (COUNTING, CODED)),
        Move(Turn.STOP, Light.GREEN, Light.RED, Who.DRIVER),
    ),
)


def test_a_move_evaluates_each_of_its_guards_exactly_once() -> None:
    facts = Counted()
    assert LIGHTS.advance(Light.RED, Turn.GO, facts).dest is Light.GREEN
    assert facts.calls == 1


def test_a_refusal_names_every_refusing_guard_with_a_problem_and_text_reasons_are_wrapped() -> None:
    facts = Counted(refuse=True)
    with pytest.raises(GuardRefused) as refused:
        LIGHTS.advance(Light.RED, Turn.GO, facts)
    assert [name for name, _ in refused.value.refusals] == ["road_open", "coded"]
    assert refused.value.refusals[0][1] == Problem("the road is closed")
    assert refused.value.refusals[1][1].code == "illegal_transition_closed"
    assert facts.calls == 1
    assert [model.move for model in LIGHTS.machine.models] == [None]  # only the carrier, bound to no move


def test_an_action_the_table_does_not_allow_lists_the_allowed_ones() -> None:
    with pytest.raises(IllegalTransition) as refused:
        LIGHTS.advance(Light.RED, Turn.STOP, Counted())
    assert refused.value.allowed == ("go",)


def test_the_machine_conditions_only_ask_which_move_the_engine_chose() -> None:
    approved = Grounds("resolution RES-2026-0001", frozenset({A.APPROVE.value}))
    facts = ApplicationFacts(
        Route.STANDARD,
        Level.PROFESSIONAL,
        "0812",
        "CIE",
        date(2026, 3, 10),
        applicant_is_member=True,
        reason="x",
        decision_grounds=approved,
    )
    moves = [m for m in WORKFLOW.moves if m.source is S.COMMITTEE_REVIEW and m.action is A.APPROVE]
    assert len(moves) == 2
    assert WORKFLOW.advance(S.COMMITTEE_REVIEW, A.APPROVE, facts).dest is S.APPROVED
    for event in MACHINE.events.values():
        for transitions in event.transitions.values():
            for transition in transitions:
                assert [c.func.__name__.startswith("chosen_") for c in transition.conditions] == [True]


def test_every_workflow_is_a_table_of_the_one_engine() -> None:
    assert set(WORKFLOWS) == {"application", "certificate", "review-task", "appeal", "feedback", "authorization"}
    assert WORKFLOWS["certificate"] is certificates.WORKFLOW and WORKFLOWS["review-task"] is TASK_WORKFLOW
    for module in (appeals, authorization, feedback):
        assert isinstance(module.WORKFLOW, Workflow)
    for workflow in WORKFLOWS.values():
        assert isinstance(workflow, Workflow)
        assert workflow.machine.auto_transitions is False
        assert all(isinstance(move.by, StrEnum) for move in workflow.moves)


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_the_readme_shows_each_workflow_as_its_table_draws_it(name: str) -> None:
    readme = README.read_text(encoding="utf-8")
    start, end = (
        ("<!-- diagram:start -->", "<!-- diagram:end -->")
        if name == "application"
        else (f"<!-- diagram:{name}:start -->", f"<!-- diagram:{name}:end -->")
    )
    embedded = readme.split(start)[1].split(end)[0]
    assert embedded.strip() == f"```mermaid\n{mermaid(name).strip()}\n```"


def test_every_diagram_draws_every_move_of_its_table() -> None:
    for name, workflow in WORKFLOWS.items():
        drawn = mermaid(name)
        for move in workflow.moves:
            if workflow.summarized and move.action == workflow.summarized[0]:
                continue
            assert f"{move.source.value} --> {move.dest.value}: " in drawn, (name, move)


def test_the_one_conflict_error_says_someone_else_changed_it_and_nothing_was_written() -> None:
    error = changed_by_someone_else("case 7")
    assert isinstance(error, ConcurrencyConflict) and error.code == "changed_by_someone_else"
    assert "case 7 was changed by someone else" in str(error) and "nothing was written" in str(error)
    ensure_unchanged("case 7", True)
    with pytest.raises(ConcurrencyConflict, match="changed by someone else"):
        ensure_unchanged("case 7", False)
