"""The governance cases' workflows (feedback, appeals, society authorization) as tables of the one engine.

Each workflow is a table of `Step`s (the engine's moves), the single definition of its stages and moves;
`CaseWorkflow` (the engine's workflow) derives its shared transitions Machine, allowed actions, `advance`
and diagram from it, the same way the application workflow does.
"""

from __future__ import annotations

from .engine import Guard, Move, Workflow

Rule = Guard
"""A named guard of a governance step: None when satisfied, else a reason a person can act on."""
Step = Move
"""One allowed move of a governance case: action, source, destination, the party that takes it, rules."""
CaseWorkflow = Workflow
"""A governance workflow built from its step table."""
