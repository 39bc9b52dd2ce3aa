"""The Mermaid state diagram of the application workflow, generated from the move table."""

from __future__ import annotations

from .application import CLOSED_STAGES, INITIAL_STAGE, MOVES, TERMINAL_STAGES, Action, Stage
from .levels import Route


def mermaid() -> str:
    """A `stateDiagram-v2` of every move; `disqualify` (allowed from every stage) is summarized in a note."""
    lines = ["stateDiagram-v2", f"    [*] --> {INITIAL_STAGE.value}"]
    edges: dict[tuple[str, str], list[str]] = {}
    for move in MOVES:
        if move.action is Action.DISQUALIFY:
            continue
        label = move.action.value
        if move.routes != frozenset(Route):
            label += f" [{', '.join(sorted(route.value for route in move.routes))}]"
        edges.setdefault((move.source.value, move.dest.value), []).append(label)
    for (source, dest), labels in edges.items():
        lines.append(f"    {source} --> {dest}: {' / '.join(labels)}")
    for stage in Stage:
        if stage in CLOSED_STAGES:
            lines.append(f"    {stage.value} --> [*]")
    final = ", ".join(sorted(s.value for s in TERMINAL_STAGES))
    lines.append(f"    note right of {final}: disqualify (fraud, lifetime ban) is allowed from every other stage")
    return "\n".join(lines) + "\n"
