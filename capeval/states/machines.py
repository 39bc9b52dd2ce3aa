"""Running one model through a shared transitions Machine: attach, fire, check, detach."""

from __future__ import annotations

from typing import Any

from transitions import Machine


def fire(machine: Machine, model: Any, source: str, trigger: str, expected: str) -> None:
    """Fire `trigger` on `model` from `source` through the shared `machine`, then detach the model.

    The move table has already chosen the move and checked its guards; a landing anywhere but
    `expected` means the table and the Machine disagree, which is a bug, not a refusal.
    """
    machine.add_model(model, initial=source)
    try:
        getattr(model, trigger)()
        if model.state != expected:
            raise RuntimeError(f"machine and move table disagree on {trigger} from {source}")
    finally:
        machine.remove_model(model)
