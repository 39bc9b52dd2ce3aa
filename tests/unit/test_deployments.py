"""prefect.yaml: one deployment per flow, each on a Shanghai cron schedule with a concurrency limit of 1."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
FLOWS = {
    "deadline-sweep": "flows/deadline_sweep.py:deadline_sweep",
    "reminder-sweep": "flows/reminder_sweep.py:reminder_sweep",
    "review-sweep": "flows/review_sweep.py:review_sweep",
    "renewal-sweep": "flows/renewal_sweep.py:renewal_sweep",
    "outbox-dispatch": "flows/outbox_dispatch.py:outbox_dispatch",
    "governance-sweep": "flows/governance_sweep.py:governance_sweep",
}


def deployments() -> dict[str, dict]:  # type: ignore[type-arg]
    document = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    return {entry["name"]: entry for entry in document["deployments"]}


def test_every_flow_has_one_deployment_on_a_shanghai_cron_with_concurrency_one_on_the_process_pool() -> None:
    found = deployments()
    assert {name: entry["entrypoint"] for name, entry in found.items()} == FLOWS
    for entry in found.values():
        assert entry["concurrency_limit"] == 1 and entry["work_pool"]["name"] == "capeval-process"
        assert [s["timezone"] for s in entry["schedules"]] == ["Asia/Shanghai"] and entry["schedules"][0]["cron"]


def test_every_flow_module_has_a_deployment() -> None:
    modules = {p.name for p in (ROOT / "flows").glob("*.py")} - {"__init__.py", "prefect_setup.py"}
    assert modules == {entrypoint.split(":")[0].removeprefix("flows/") for entrypoint in FLOWS.values()}


def test_every_entrypoint_names_a_prefect_flow() -> None:
    from prefect import Flow

    for entrypoint in FLOWS.values():
        path, _, name = entrypoint.partition(":")
        spec = importlib.util.spec_from_file_location(f"entry_{name}", ROOT / path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert isinstance(getattr(module, name), Flow)
