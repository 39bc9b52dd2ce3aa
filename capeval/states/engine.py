"""The one workflow engine: every workflow of capeval is a table of moves run by it.

A workflow is a table of `Move`s (action, source, destination, the party that takes it, named guards and,
where the workflow has routes, the routes it applies to). From the table the engine derives the allowed
actions, the Mermaid diagram and one shared transitions `Machine(model=None, auto_transitions=False)`,
which executes the move the engine has chosen: one plain carrier object per workflow, attached once, is
set to the move and its source stage and fired (under a lock, so threads take turns on it). Guards are
evaluated once, by the engine, before the Machine is touched; the Machine's one condition per transition
only asks whether the engine chose that transition.

    IllegalTransition   the table has no such move from the stage (lists the allowed actions)
    GuardRefused        named guards refused, each with its Problem, in table order
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from threading import Lock
from typing import Any, Generic, TypeVar, cast

from transitions import EventData, Machine

from .authority import Actor, require
from .errors import ConcurrencyConflict, GuardRefused, IllegalTransition, Problem, as_problem
from .messages import Term

F = TypeVar("F")
StageT = TypeVar("StageT", bound=StrEnum)
ActionT = TypeVar("ActionT", bound=StrEnum)

Check = Callable[[F], "str | Problem | None"]


@dataclass(frozen=True)
class Guard(Generic[F]):
    """A named predicate with the article it enforces (`source`).

    Its check returns None when satisfied, else the reason a person can act on: a Problem, or (for the
    time being) the reason's English text.
    """

    name: str
    source: str
    check: Callable[[F], str | Problem | None]

    def refusal(self, facts: F) -> str | Problem | None:
        """The reason this guard refuses, as its check gives it, or None when it is satisfied."""
        return self.check(facts)

    def problem(self, facts: F) -> Problem | None:
        """The reason this guard refuses as a Problem, or None when it is satisfied."""
        found = self.check(facts)
        return None if found is None else as_problem(found)


@dataclass(frozen=True)
class Move(Generic[StageT, ActionT]):
    """One allowed move: `action` from `source` to `dest`, taken by `by`, if every guard agrees.

    `routes` limits the move to some routes of a workflow that has them (None: every route).
    """

    action: ActionT
    source: StageT
    dest: StageT
    by: StrEnum
    guards: tuple[Guard[Any], ...] = ()
    routes: frozenset[StrEnum] | None = None

    def applies_to(self, route: StrEnum | None) -> bool:
        return route is None or self.routes is None or route in self.routes


class _Carrier:
    """The plain object the shared Machine drives for one command; it knows the move the engine chose."""

    state: str

    def __init__(self, move: Move[Any, Any] | None = None) -> None:
        self.move = move


def _chosen(move: Move[Any, Any]) -> Callable[[EventData], bool]:
    def condition(event: EventData) -> bool:
        return cast(_Carrier, event.model).move is move

    condition.__name__ = f"chosen_{move.action.value}_from_{move.source.value}_to_{move.dest.value}"
    return condition


class Workflow(Generic[StageT, ActionT]):
    """A workflow built from its move table: the shared Machine, allowed actions, `advance` and diagram."""

    def __init__(
        self,
        name: str,
        stages: type[StageT],
        initial: StageT,
        moves: Sequence[Move[StageT, ActionT]],
        *,
        closed: frozenset[StageT] = frozenset(),
        route_of: Callable[[Any], StrEnum] | None = None,
        routes: frozenset[StrEnum] | None = None,
        summarized: tuple[ActionT, str] | None = None,
    ) -> None:
        self.name, self.stages, self.initial, self.moves = name, stages, initial, tuple(moves)
        self.closed, self.route_of, self.routes, self.summarized = closed, route_of, routes, summarized
        self.machine = Machine(
            model=None,
            states=[stage.value for stage in stages],
            transitions=[
                {
                    "trigger": move.action.value,
                    "source": move.source.value,
                    "dest": move.dest.value,
                    "conditions": [_chosen(move)],
                }
                for move in self.moves
            ],
            initial=initial.value,
            auto_transitions=False,
            send_event=True,
        )
        self._carrier = _Carrier()
        self._firing = Lock()
        self.machine.add_model(self._carrier, initial=initial.value)

    def moves_from(self, stage: StageT, route: StrEnum | None = None) -> Iterator[Move[StageT, ActionT]]:
        """The moves leaving `stage`, for one route or for any."""
        return (move for move in self.moves if move.source == stage and move.applies_to(route))

    def allowed_actions(self, stage: StageT, route: StrEnum | None = None) -> list[ActionT]:
        """The actions the table allows from `stage` (guards not consulted), in table order."""
        return list(dict.fromkeys(move.action for move in self.moves_from(stage, route)))

    def allowed(self, stage: StageT, route: StrEnum | None = None) -> list[str]:
        """`allowed_actions` as their names."""
        return [action.value for action in self.allowed_actions(stage, route)]

    def refusals(self, move: Move[StageT, ActionT], facts: object) -> list[tuple[Guard[Any], Problem]]:
        """Every guard of `move` that refuses, with its reason (each guard evaluated once)."""
        found = []
        for guard in move.guards:
            problem = guard.problem(facts)
            if problem is not None:
                found.append((guard, problem))
        return found

    def select(
        self, stage: StageT, action: ActionT, facts: object, actor: Actor | None = None
    ) -> Move[StageT, ActionT]:
        """The move `action` takes from `stage` for these facts and this actor, checked; or why it cannot.

        The actor must hold the move's party (NotPermitted) before any guard is asked. `actor=None` judges
        the table and the guards alone, for the domain's own tests; every caller outside the domain passes
        the acting Actor (a test reads the code and holds it to that).
        """
        route = self.route_of(facts) if self.route_of is not None else None
        move = next((m for m in self.moves_from(stage, route) if m.action == action), None)
        if move is None:
            raise IllegalTransition(stage.value, action.value, self.allowed(stage, route))
        if actor is not None:
            require(actor, move.by, move.action)
        refused = self.refusals(move, facts)
        if refused:
            raise GuardRefused([(guard.name, problem) for guard, problem in refused])
        return move

    def advance(
        self, stage: StageT, action: ActionT, facts: object, actor: Actor | None = None
    ) -> Move[StageT, ActionT]:
        """Take `action` from `stage` through the shared Machine; return the move made.

        Raises IllegalTransition (with the allowed actions), NotPermitted (the actor does not hold the
        move's party) or GuardRefused (with the reasons); in each case nothing has changed.
        """
        move = self.select(stage, action, facts, actor)
        self.fire(move)
        return move

    def fire(self, move: Move[StageT, ActionT]) -> None:
        """Run the chosen `move` through the shared Machine: set the workflow's carrier to it, fire, check."""
        carrier = self._carrier
        with self._firing:
            carrier.move = move
            self.machine.set_state(move.source.value, model=carrier)
            try:
                getattr(carrier, move.action.value)()
                if carrier.state != move.dest.value:
                    raise RuntimeError(
                        f"machine and move table disagree on {move.action.value} from {move.source.value}"
                    )
            finally:
                carrier.move = None

    def mermaid(self) -> str:
        """A `stateDiagram-v2` of the table, generated from the moves."""
        return mermaid(self)


def mermaid(workflow: Workflow[Any, Any]) -> str:
    """The Mermaid `stateDiagram-v2` of any workflow, drawn from its move table.

    Moves between the same two stages share one edge; a move limited to some routes is labelled with
    them; the party taking a move is named when the workflow has no route variants; a summarized action
    (allowed from nearly every stage) is left out of the edges and given as a note.
    """
    lines = ["stateDiagram-v2", f"    [*] --> {workflow.initial.value}"]
    skipped = workflow.summarized[0] if workflow.summarized else None
    edges: dict[tuple[str, str], list[str]] = {}
    for move in workflow.moves:
        if move.action == skipped:
            continue
        label = move.action.value
        if workflow.routes is None:
            label += f" ({move.by.value})"
        elif move.routes is not None and move.routes != workflow.routes:
            label += f" [{', '.join(sorted(route.value for route in move.routes))}]"
        edges.setdefault((move.source.value, move.dest.value), []).append(label)
    for (source, dest), labels in edges.items():
        lines.append(f"    {source} --> {dest}: {' / '.join(labels)}")
    for stage in workflow.stages:
        if stage in workflow.closed:
            lines.append(f"    {stage.value} --> [*]")
    if workflow.summarized is not None:
        action, note = workflow.summarized
        targets = sorted({m.dest.value for m in workflow.moves if m.action == action})
        lines.append(f"    note right of {', '.join(targets)}: {note}")
    return "\n".join(lines) + "\n"


def changed_by_someone_else(subject: str | Term) -> ConcurrencyConflict:
    """The one conflict error: `subject` (best a catalog Term) changed since it was read; nothing was written."""
    return ConcurrencyConflict("changed_by_someone_else", subject=subject)


def ensure_unchanged(subject: str | Term, unchanged: bool) -> None:
    """The one optimistic-concurrency check: raise the conflict when the version seen is not current."""
    if not unchanged:
        raise changed_by_someone_else(subject)
