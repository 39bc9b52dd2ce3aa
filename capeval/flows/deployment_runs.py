"""What a Prefect server knows about the runs of capeval's deployments: runs that are late, and runs of the
scheduled sweeps that failed or crashed.

Read through Prefect's REST API with the standard library (no Prefect import, so the health command stays
quick). A partition run that failed is not counted as a failure: its sweep runs it again, and fails itself
if the partition never completes; a partition run that is late (no worker took it) is.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from capeval.services.sweep_runs import SWEEP_INTERVALS

PARTITIONED_SWEEPS = ("deadline-sweep", "reminder-sweep", "review-sweep", "renewal-sweep", "governance-sweep")
"""The sweeps whose key ranges run as runs of `<sweep>-partition` when deployed."""

PARTITION_SUFFIX = "-partition"
LATE = ("Late",)
FAILED = ("Failed", "Crashed")
TIMEOUT_SECONDS = 5.0
LIMIT = 200


class PrefectUnreachable(Exception):
    """The Prefect API did not answer (or not as an API does)."""


@dataclass(frozen=True)
class RunProblems:
    """Late and failed runs by sweep (a partition's late runs count for its sweep), and the last of them."""

    late: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    def sweeps(self) -> list[str]:
        """Each sweep with a late or failed run, with its counts, for a message."""
        found = []
        for sweep in SWEEP_INTERVALS:
            counts = [f"{n} {what}" for what, n in (("late", self.late[sweep]), ("failed", self.failed[sweep])) if n]
            if counts:
                found.append(f"{sweep} ({', '.join(counts)}; {self.examples[sweep]})")
        return found


def deployment_names() -> list[str]:
    """capeval's deployments in prefect.yaml: the scheduled sweeps and the partition deployments."""
    return [*SWEEP_INTERVALS, *(f"{sweep}{PARTITION_SUFFIX}" for sweep in PARTITIONED_SWEEPS)]


def run_problems(api_url: str, *, failed_within: timedelta, now: datetime | None = None) -> RunProblems:
    """The late runs of capeval's deployments, and their failed or crashed runs expected to start within
    `failed_within` before `now` (default: now)."""
    since = (now or datetime.now(UTC)) - failed_within
    deployments = _call(api_url, "/deployments/filter", {"deployments": {"name": {"any_": deployment_names()}}})
    sweep_of = {str(d["id"]): str(d["name"]).removesuffix(PARTITION_SUFFIX) for d in deployments}
    problems = RunProblems()
    if not sweep_of:
        return problems
    scheduled = [i for i, name in sweep_of.items() if not _is_partition(deployments, i)]
    late = _runs(api_url, list(sweep_of), LATE, None)
    failed = _runs(api_url, scheduled, FAILED, since) if scheduled else []
    for runs, counter in ((late, problems.late), (failed, problems.failed)):
        for run in runs:
            sweep = sweep_of[str(run["deployment_id"])]
            counter[sweep] += 1
            state = run.get("state") or {}
            problems.examples.setdefault(sweep, f"{run['name']}: {state.get('name', '?')}")
    return problems


def _is_partition(deployments: list[dict[str, Any]], deployment_id: str) -> bool:
    return any(str(d["id"]) == deployment_id and str(d["name"]).endswith(PARTITION_SUFFIX) for d in deployments)


def _runs(api_url: str, deployment_ids: list[str], states: tuple[str, ...], since: datetime | None) -> list[Any]:
    flow_runs: dict[str, Any] = {"state": {"name": {"any_": list(states)}}}
    if since is not None:
        flow_runs["expected_start_time"] = {"after_": since.isoformat()}
    body = {
        "deployments": {"id": {"any_": deployment_ids}},
        "flow_runs": flow_runs,
        "sort": "EXPECTED_START_TIME_DESC",
    }
    return _call(api_url, "/flow_runs/filter", body)


def _call(api_url: str, path: str, body: dict[str, Any]) -> list[Any]:
    if urllib.parse.urlsplit(api_url).scheme not in ("http", "https"):
        raise PrefectUnreachable("it is not an http:// or https:// URL")
    request = urllib.request.Request(
        f"{api_url.rstrip('/')}{path}",
        data=json.dumps({**body, "limit": LIMIT}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            found = json.loads(response.read())
    except (OSError, ValueError) as error:
        raise PrefectUnreachable(_first_line(getattr(error, "reason", None) or error)) from error
    if not isinstance(found, list):
        raise PrefectUnreachable(f"{path} did not answer with a list")
    return found


def _first_line(reason: object) -> str:
    lines = str(reason).strip().splitlines()
    return lines[0][:200] if lines else type(reason).__name__
