"""The context of a CPD shortfall warning, taken from the evaluation itself (`states/cpd.py`): every number
the email states is the evaluation's (hours needed, counted, missing, per requirement of the policy)."""

from __future__ import annotations

from typing import Any

from capeval.states.cpd import Evaluation


def cpd_shortfall_context(evaluation: Evaluation) -> dict[str, Any]:
    """`year`, `policy`, `total_hours`, `shortfall_hours` and each requirement (name, needed, counted, shortfall)."""
    requirements = [
        {"name": r.name, "needed": r.needed, "counted": r.counted, "shortfall": r.shortfall, "source": r.source}
        for r in evaluation.requirements
    ]
    return {
        "year": evaluation.year,
        "policy": evaluation.policy,
        "total_hours": evaluation.total,
        "shortfall_hours": max((r.shortfall for r in evaluation.requirements), default=0),
        "requirements": requirements,
    }
