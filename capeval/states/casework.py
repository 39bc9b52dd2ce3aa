"""Table-driven workflows of the governance cases (feedback, appeals, society authorization).

Each workflow is a table of `Step`s, the single definition of its stages and moves; one shared transitions
`Machine(model=None)` per workflow is built from it, and `advance` drives a plain object through it, the
same way `application.advance` does for evaluation cases.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar, cast

from transitions import EventData, Machine

from .errors import GuardRefused, IllegalTransition, Problem
from .machines import fire

F = TypeVar("F")


@dataclass(frozen=True)
class Rule(Generic[F]):
    """A named guard of a governance step: None when satisfied, else a reason a person can act on."""

    name: str
    source: str
    check: Callable[[F], str | None]

    def refusal(self, facts: F) -> str | None:
        return self.check(facts)


@dataclass(frozen=True)
class Step:
    """One allowed move: `action` from `source` to `dest`, taken by `by`, if every rule agrees."""

    action: StrEnum
    source: StrEnum
    dest: StrEnum
    by: str
    rules: tuple[Rule[Any], ...] = ()


class _Carrier:
    state: str

    def __init__(self, facts: object) -> None:
        self.facts = facts


class CaseWorkflow:
    """A workflow built from its step table: the shared Machine, allowed actions and `advance`."""

    def __init__(self, name: str, stages: type[StrEnum], initial: StrEnum, steps: Sequence[Step]) -> None:
        self.name, self.stages, self.initial, self.steps = name, stages, initial, tuple(steps)
        self.machine = Machine(
            model=None,
            states=[stage.value for stage in stages],
            transitions=[
                {
                    "trigger": step.action.value,
                    "source": step.source.value,
                    "dest": step.dest.value,
                    "conditions": [self._condition(step)],
                }
                for step in self.steps
            ],
            initial=initial.value,
            auto_transitions=False,
            send_event=True,
        )

    @staticmethod
    def _condition(step: Step) -> Callable[[EventData], bool]:
        def condition(event: EventData) -> bool:
            carrier = cast(_Carrier, event.model)
            return not refusals(step, carrier.facts)

        condition.__name__ = f"rules_of_{step.action.value}_from_{step.source.value}"
        return condition

    def allowed(self, stage: StrEnum) -> list[str]:
        """The actions the table allows from `stage`, in table order (rules not consulted)."""
        return list(dict.fromkeys(step.action.value for step in self.steps if step.source == stage))

    def advance(self, stage: StrEnum, action: StrEnum, facts: object) -> Step:
        """Take `action` from `stage`; IllegalTransition or GuardRefused (nothing changed) when it cannot."""
        step = next((s for s in self.steps if s.source == stage and s.action == action), None)
        if step is None:
            raise IllegalTransition(stage.value, action.value, self.allowed(stage))
        refused = refusals(step, facts)
        if refused:
            raise GuardRefused([(r.name, Problem(reason)) for r, reason in refused])
        fire(self.machine, _Carrier(facts), stage.value, action.value, step.dest.value)
        return step

    def mermaid(self) -> str:
        """A `stateDiagram-v2` of the table."""
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial.value}"]
        for step in self.steps:
            lines.append(f"    {step.source.value} --> {step.dest.value}: {step.action.value} ({step.by})")
        return "\n".join(lines) + "\n"


def refusals(step: Step, facts: object) -> list[tuple[Rule[Any], str]]:
    """Every rule of `step` that refuses, with its reason."""
    found = []
    for rule in step.rules:
        reason = rule.refusal(facts)
        if reason is not None:
            found.append((rule, reason))
    return found
