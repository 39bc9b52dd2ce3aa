"""Each scheduled flow applies the policy file of the worker's environment (CAPEVAL_POLICY_FILE).

Every test runs the flow once as it would run without the file, then with a file that changes one rule
of the flow's own table, and sees the rule take effect. A flow run on a database that does not exist
fails instead of reporting that nothing was due.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from capeval.flows.deadline_sweep import deadline_sweep
from capeval.flows.governance_sweep import governance_sweep
from capeval.flows.outbox_dispatch import outbox_dispatch
from capeval.flows.prefect_setup import fast_flow_runs
from capeval.flows.reminder_sweep import reminder_sweep
from capeval.flows.renewal_sweep import renewal_sweep
from capeval.flows.review_sweep import review_sweep
from capeval.services import review
from capeval.services.feedback import file_feedback
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.clock import FixedClock
from capeval.states.errors import InputError
from capeval.states.governance_commands import FileFeedback
from capeval.states.review import TaskAction

from ..factories import act, at, load_society, submitted_case
from ..review_factories import case_in_review, load_review_society
from ..runtimes import new_runtime


@pytest.fixture
def policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Write a policy file and put it in the environment, as prefect.yaml says the worker's is."""

    def use(text: str) -> None:
        path = tmp_path / "policy.toml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv("CAPEVAL_POLICY_FILE", str(path))

    return use


def returned_cases(url: str, count: int) -> Runtime:
    """`count` submitted cases, all returned on 2026-09-25 (resubmission due 2026-10-15)."""
    clock = FixedClock(at("2026-01-05"))
    runtime = new_runtime(url, clock=clock)
    load_society(runtime, members=list(range(1, count + 1)))
    cases = [submitted_case(runtime, serial) for serial in range(1, count + 1)]
    clock.set(at("2026-09-25"))
    for case_id in cases:
        act(runtime, case_id, Action.RETURN_FOR_REVISION, "材料不全")
    return runtime


def test_the_deadline_sweep_reads_the_pipeline_table_of_the_policy_file(tmp_path: Path, policy) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'flow.db'}"
    returned_cases(url, 2).engine.dispose()
    policy("[pipeline]\nresubmission_working_days = 'ten'\n")
    with fast_flow_runs(), pytest.raises(InputError, match=r"pipeline\.resubmission_working_days") as refused:
        deadline_sweep(url, as_of="2026-10-16")
    assert "must be a whole number >= 0, not 'ten'" in str(refused.value)
    policy("[pipeline]\nresubmission_working_days = 15\n")
    with fast_flow_runs():
        assert len(deadline_sweep(url, as_of="2026-10-16")["lapsed"]) == 2


def test_the_reminder_sweep_warns_as_far_ahead_as_the_pipeline_table_says(tmp_path: Path, policy) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'flow.db'}"
    returned_cases(url, 3).engine.dispose()
    with fast_flow_runs():
        by_default = reminder_sweep(url, as_of="2026-10-12T08:00")
        policy("[pipeline]\nlapse_warning_working_days = 5\n")
        configured = reminder_sweep(url, as_of="2026-10-12T08:30")
    assert by_default["warnings_queued"] == 0
    assert configured["warnings_queued"] == 3


def test_the_outbox_dispatch_sends_in_batches_of_the_delivery_table(tmp_path: Path, policy) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'flow.db'}"
    returned_cases(url, 5).engine.dispose()  # ten notices: five submitted, five returned
    policy("[delivery]\nbatch_size = 3\n")
    with fast_flow_runs():
        sent = outbox_dispatch(url, as_of="2026-10-13T09:00", mail_dir=str(tmp_path / "mail"))
    assert (sent["sent"], sent["batches"]) == (10, 4)


def test_the_renewal_sweep_reminds_at_the_points_of_the_renewal_table(tmp_path: Path, policy) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'renewal.db'}"
    runtime = new_runtime(url, clock=FixedClock(at("2026-01-05")))
    load_society(runtime, members=[1, 2])
    for serial in (1, 2):
        case_id = submitted_case(runtime, serial)
        for action in (Action.ACCEPT_FOR_REVIEW, Action.PASS_MATERIAL_REVIEW, Action.APPROVE, Action.REGISTER):
            act(runtime, case_id, action)
    runtime.engine.dispose()  # expiry 2031-01-04: by default reminders 180, 90 and 30 days before
    policy("[renewal]\nreminder_days = [45]\n")
    with fast_flow_runs():
        at_default_point = renewal_sweep(url, as_of="2030-07-08")
        at_configured_point = renewal_sweep(url, as_of="2030-11-20")
    assert at_default_point["reminders"] == 0
    assert at_configured_point["reminders"] == 2


def test_the_review_sweep_reminds_as_early_as_the_review_table_says(tmp_path: Path, policy) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'flow.db'}"
    runtime = new_runtime(url, clock=FixedClock(at("2026-03-02")))
    load_review_society(runtime, members=[1], examiners=4)
    for task in review.assign(runtime, case_in_review(runtime, 1), "王秘书"):
        review.act_on_task(runtime, task.task_id, TaskAction.ACCEPT, task.examiner_name)
    runtime.engine.dispose()  # the reviews are due 2026-03-16
    with fast_flow_runs():
        by_default = review_sweep(url, as_of="2026-03-09")
        policy("[review]\nreminder_before_due_working_days = 5\n")
        configured = review_sweep(url, as_of="2026-03-09T10:00")
    assert by_default["reminded"] == []
    assert len(configured["reminded"]) == 2


def test_the_governance_sweep_escalates_after_the_window_of_the_governance_table(tmp_path: Path, policy) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'flow.db'}"
    runtime = new_runtime(url, clock=FixedClock(at("2026-01-05")))
    for serial in range(2):
        file_feedback(runtime, FileFeedback(f"寄件人{serial}", f"s{serial}@example.cn", "person", "主题", "正文"))
    runtime.engine.dispose()  # registration due 2026-01-12; escalation by default 5 working days later
    with fast_flow_runs():
        reminded = governance_sweep(url, as_of="2026-01-13")
        by_default = governance_sweep(url, as_of="2026-01-15")
        policy("[governance]\nescalation_working_days = 1\n")
        configured = governance_sweep(url, as_of="2026-01-15T10:00")
    assert len(reminded["reminded"]) == 2 and by_default["escalated"] == []
    assert len(configured["escalated"]) == 2


def test_a_flow_run_without_a_database_fails_instead_of_finding_nothing_due(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "capeval.db"
    with fast_flow_runs(), pytest.raises(InputError, match="does not exist") as refused:
        deadline_sweep(f"sqlite:///{missing}", as_of="2026-10-16")
    assert refused.value.hint() == "initialise the database"
    assert not missing.parent.exists()
