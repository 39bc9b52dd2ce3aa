"""Outside the pure domain, every call that moves a workflow names who is acting.

The engine takes `actor=None` only so that the domain's own tests can judge guards alone; a service that
left the actor out would fire a move nobody is checked for. This test reads every module outside
`capeval/states` and refuses a call to the engine's move functions without an actor argument.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "capeval"
MOVE_FUNCTIONS = {"advance": 4, "select": 4, "select_move": 4, "change_status": 4, "advance_task": 4}
"""Each function that fires or chooses a move, and the position (1-based) its actor argument has."""


def calls_without_actor(source: str) -> list[int]:
    """Line numbers of move calls that pass fewer positional arguments than the actor's and no `actor=`."""
    missing = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        position = MOVE_FUNCTIONS.get(name)
        if position is None or (name == "select" and not _is_workflow_call(node)):
            continue
        if len(node.args) < position and not any(keyword.arg == "actor" for keyword in node.keywords):
            missing.append(node.lineno)
    return missing


def _is_workflow_call(node: ast.Call) -> bool:
    """`WORKFLOW.select(...)`-style calls (not SQL's `select(...)`)."""
    return isinstance(node.func, ast.Attribute) and "WORKFLOW" in ast.unparse(node.func.value)


def test_every_move_outside_the_domain_names_its_actor() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "states" not in path.relative_to(PACKAGE).parts[:1]
        for line in calls_without_actor(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "pass the acting Actor to the engine: " + ", ".join(offenders)


def test_the_check_finds_a_move_without_an_actor() -> None:
    assert calls_without_actor("advance(stage, action, facts)\n") == [1]
    assert calls_without_actor("WORKFLOW.advance(stage, action, facts, actor)\n") == []
    assert calls_without_actor("change_status(status, change, facts, actor=someone)\n") == []
    assert calls_without_actor("sa.select(Application.id)\n") == []
