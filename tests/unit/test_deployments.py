"""prefect.yaml: one deployment per flow, each sweep on a Shanghai cron schedule with a concurrency limit of 1,
and one unscheduled deployment per partitioned sweep for the runs of its key ranges."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
FLOWS = {
    "deadline-sweep": "capeval.flows.deadline_sweep.deadline_sweep",
    "reminder-sweep": "capeval.flows.reminder_sweep.reminder_sweep",
    "review-sweep": "capeval.flows.review_sweep.review_sweep",
    "renewal-sweep": "capeval.flows.renewal_sweep.renewal_sweep",
    "outbox-dispatch": "capeval.flows.outbox_dispatch.outbox_dispatch",
    "governance-sweep": "capeval.flows.governance_sweep.governance_sweep",
}
PARTITIONED = ("deadline", "reminder", "review", "renewal", "governance")
PARTITION_FLOWS = {
    f"{name}-sweep-partition": f"capeval.flows.{name}_sweep.{name}_sweep_partition" for name in PARTITIONED
}


def document() -> dict:  # type: ignore[type-arg]
    return dict(yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8")))


def every_deployment() -> dict[str, dict]:  # type: ignore[type-arg]
    return {entry["name"]: entry for entry in document()["deployments"]}


def deployments() -> dict[str, dict]:  # type: ignore[type-arg]
    """The scheduled ones."""
    return {name: entry for name, entry in every_deployment().items() if name not in PARTITION_FLOWS}


def test_every_flow_has_one_deployment_on_a_shanghai_cron_with_concurrency_one_on_the_process_pool() -> None:
    found = deployments()
    assert {name: entry["entrypoint"] for name, entry in found.items()} == FLOWS
    for entry in found.values():
        assert entry["concurrency_limit"] == 1 and entry["work_pool"]["name"] == "capeval-process"
        assert [s["timezone"] for s in entry["schedules"]] == ["Asia/Shanghai"] and entry["schedules"][0]["cron"]


def test_every_partitioned_sweep_has_an_unscheduled_partition_deployment_its_flow_names() -> None:
    found = {name: entry for name, entry in every_deployment().items() if name in PARTITION_FLOWS}
    assert {name: entry["entrypoint"] for name, entry in found.items()} == PARTITION_FLOWS
    for name, entry in found.items():
        assert entry["schedules"] == [] and entry["work_pool"]["name"] == "capeval-process"
        module = importlib.import_module(entry["entrypoint"].rpartition(".")[0])
        assert f"{name}/{name}" == module.PARTITION_DEPLOYMENT
        assert deployments()[name.removesuffix("-partition")]["parameters"]["partitions"] > 1


def test_every_flow_module_has_a_deployment() -> None:
    modules = {p.stem for p in (ROOT / "capeval" / "flows").glob("*.py")} - {
        "__init__",
        "prefect_setup",
        "ephemeral",
        "partitioned",
        "deployment_runs",
    }
    assert modules == {entrypoint.split(".")[2] for entrypoint in FLOWS.values()}


def test_the_health_check_knows_every_deployment_and_its_interval() -> None:
    from capeval.services.sweep_runs import SWEEP_INTERVALS

    assert set(SWEEP_INTERVALS) == set(deployments())
    crons = {name: entry["schedules"][0]["cron"] for name, entry in deployments().items()}
    for name, every in SWEEP_INTERVALS.items():
        assert (crons[name].startswith("*/") and every.total_seconds() == 60 * int(crons[name][2:].split()[0])) or (
            crons[name].split()[2:] == ["*", "*", "*"] and every.days == 1
        )


def test_every_entrypoint_names_a_prefect_flow_of_the_installed_package() -> None:
    from prefect import Flow

    for entrypoint in [*FLOWS.values(), *PARTITION_FLOWS.values()]:
        module, _, name = entrypoint.rpartition(".")
        assert isinstance(getattr(importlib.import_module(module), name), Flow)


def test_a_deployment_stores_no_directory_of_the_machine_it_was_deployed_from() -> None:
    assert document()["pull"] == []
    text = (ROOT / "prefect.yaml").read_text(encoding="utf-8")
    assert "{{ $" not in text and "set_working_directory" not in text
    assert all(":" not in e["entrypoint"] and "/" not in e["entrypoint"] for e in every_deployment().values())


def test_prefect_analytics_are_off_for_commands_in_the_project_and_for_flow_runs_anywhere(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "PREFECT_SERVER_ANALYTICS_ENABLED"}
    prefect = str(Path(sys.executable).with_name("prefect"))
    shown = subprocess.run(
        [prefect, "config", "view", "--show-sources"], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert "PREFECT_SERVER_ANALYTICS_ENABLED='False' (from prefect.toml)" in shown.stdout, shown.stdout
    imported = subprocess.run(
        [sys.executable, "-c", "import os, capeval.flows; print(os.environ['PREFECT_SERVER_ANALYTICS_ENABLED'])"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert imported.stdout.strip() == "false", imported.stderr


def test_the_sweep_failed_automation_is_one_prefect_accepts_for_every_deployment() -> None:
    from prefect.events.schemas.automations import AutomationCore

    text = (ROOT / "docs" / "automations" / "sweep-failed.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text.replace("BLOCK_DOCUMENT_ID", "00000000-0000-0000-0000-000000000001"))
    automation = AutomationCore.model_validate(raw)
    assert set(raw["trigger"]["match_related"]["prefect.resource.name"]) == set(deployments())
    assert automation.trigger.expect == {"prefect.flow-run.Failed", "prefect.flow-run.Crashed"}  # type: ignore[union-attr]


def test_the_health_check_knows_every_deployment_of_prefect_yaml() -> None:
    from capeval.flows.deployment_runs import deployment_names

    assert set(deployment_names()) == set(every_deployment())


def test_a_partition_flow_takes_its_sweeps_parameters_but_partitions_and_the_range_bounds() -> None:
    import inspect

    for name, entrypoint in PARTITION_FLOWS.items():
        module, _, partition = entrypoint.rpartition(".")
        loaded = importlib.import_module(module)
        sweep = getattr(loaded, partition.removesuffix("_partition"))
        part = inspect.signature(getattr(loaded, partition).fn).parameters
        assert set(part) - {"low", "high"} == set(inspect.signature(sweep.fn).parameters) - {"partitions"}, name
