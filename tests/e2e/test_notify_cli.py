"""`capeval notify` and `capeval outbox` as operators use them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from capeval.cli.main import cli
from capeval.models import OutboxMessage

from ..factories import load_society, submitted_case
from ..runtimes import new_runtime


@pytest.fixture
def database(tmp_path: Path) -> str:
    """A database with two submitted cases (two notices queued); the first one is dead-lettered."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    runtime = new_runtime(url)
    load_society(runtime, members=[1, 2])
    for serial in (1, 2):
        submitted_case(runtime, serial)
    with runtime.unit_of_work() as uow:
        first = uow.session.get(OutboxMessage, 1)
        assert first is not None
        first.status, first.attempts, first.last_error = "dead", 6, "attempt 6: 550 no such mailbox"
        uow.commit()
    runtime.engine.dispose()
    return url


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_preview_renders_a_template_with_its_sample_data_in_either_language_and_format() -> None:
    chinese = invoke("notify", "preview", "application.register")
    english_html = invoke("notify", "preview", "application.register", "--language", "en", "--html")
    assert chinese.exit_code == 0 and "\nSubject: 注册成功" in chinese.output
    assert english_html.exit_code == 0 and "<li>Certificate number: CE-DES-ELEC-2026-00001</li>" in english_html.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("notify", "preview", "application.nothing"), "error: no template 'application.nothing'"),
        (("notify", "preview", "review.invited", "--language", "fr"), "error: --language must be one of zh-CN, en"),
    ],
)
def test_preview_refuses_bad_input_on_one_line_with_exit_code_2(args: tuple[str, ...], message: str) -> None:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 2 and result.output.startswith(message) and result.output.count("\n") == 1


def test_operators_list_dead_messages_retry_one_and_dispatch_it(database: str, tmp_path: Path) -> None:
    dead = json.loads(invoke("--db", database, "outbox", "list", "--status", "dead", "--json").output)
    assert [(row["id"], row["attempts"]) for row in dead] == [(1, 6)] and "550" in dead[0]["last_error"]

    retried = invoke("--db", database, "outbox", "retry", "1")
    sent = invoke("--db", database, "outbox", "dispatch", "--mail-dir", str(tmp_path / "mail"))
    assert retried.output.startswith("message 1 (application.submit to p1@example.cn) is pending again")
    assert sent.output.startswith("2 sent, 0 to retry, 0 dead-lettered")
    assert len(list((tmp_path / "mail").glob("*.eml"))) == 2


def test_retrying_a_message_that_is_not_dead_is_refused_and_changes_nothing(database: str) -> None:
    result = CliRunner().invoke(cli, ["--db", database, "outbox", "retry", "2"])
    assert result.exit_code == 2 and result.output == (
        "error: message 2 is pending, not dead: only dead messages can be retried (a sent one would be sent twice)\n"
    )
    listed = json.loads(invoke("--db", database, "outbox", "list", "--json").output)
    assert [row["status"] for row in listed] == ["dead", "pending"]


def test_an_unknown_status_is_refused_naming_the_option(database: str) -> None:
    result = CliRunner().invoke(cli, ["--db", database, "outbox", "list", "--status", "lost"])
    assert result.exit_code == 2 and result.output.startswith("error: --status must be one of")


def test_the_reminder_sweep_command_queues_todays_digest_once(database: str) -> None:
    first = invoke("--db", database, "--now", "2026-01-06", "notify", "sweep")
    again = invoke("--db", database, "--now", "2026-01-06", "notify", "sweep")
    assert first.output == "as of 2026-01-06: 0 lapse warnings queued (0 deadlines near), 1 digests queued\n"
    assert again.output.endswith("0 digests queued\n")


def test_a_delivery_setting_from_the_policy_file_is_used_and_a_bad_one_refused(database: str, tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("[delivery]\nbatch_size = 0\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["--db", database, "--policy", str(policy), "outbox", "dispatch", "--mail-dir", "m"]
    )
    assert result.exit_code == 2 and "delivery setting 'batch_size' must be a whole number >= 1" in result.output


def test_the_cli_takes_a_case_reference_wherever_it_takes_a_case_id(database: str) -> None:
    by_reference = invoke("--db", database, "case", "show", "CES-2026-0002", "--json")
    by_id = invoke("--db", database, "case", "show", "2", "--json")
    assert by_reference.exit_code == 0 and by_reference.output == by_id.output
    unknown = CliRunner().invoke(cli, ["--db", database, "case", "show", "CES-2026-0042"])
    assert unknown.exit_code == 2 and unknown.output.startswith("error: no case has the reference CES-2026-0042")


def test_the_outbox_list_shows_whom_each_message_is_to_and_its_subject(database: str) -> None:
    listed = json.loads(invoke("--db", database, "outbox", "list", "--json").output)
    assert [(row["to"], row["subject"], row["reference"]) for row in listed] == [
        ("申请人1 <p1@example.cn>", "申请已提交：案件 CES-2026-0001", "CES-2026-0001"),
        ("申请人2 <p2@example.cn>", "申请已提交：案件 CES-2026-0002", "CES-2026-0002"),
    ]
    table = invoke("--db", database, "outbox", "list").output
    assert "申请已提交：案件 CES-2026-0001" in table and "申请人2 <p2@example.cn>" in table


def test_variables_lists_what_a_template_offers_its_societys_version() -> None:
    names = invoke("notify", "variables", "application.return_for_revision").output.splitlines()
    assert {"due_on", "reason", "applicant_name"} <= set(names)
    assert any(line.startswith("case_reference") for line in names)
    assert any("rules.resubmission_working_days" in line for line in names)


def own(folder: Path, body: str) -> Path:
    target = folder / "DES" / "zh-CN" / "application.submit.j2"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
    return target


def test_a_societys_own_template_is_previewed_and_a_broken_one_refused_with_its_line(tmp_path: Path) -> None:
    good = "{% extends layout %}\n{% block subject %}本会已收到 {{ case_reference }}{% endblock %}\n"
    good += "{% block body %}好{% endblock %}"
    own(tmp_path, good)
    env = {"CAPEVAL_TEMPLATES_DIR": str(tmp_path)}
    previewed = CliRunner().invoke(cli, ["notify", "preview", "application.submit", "--society", "DES"], env=env)
    checked = CliRunner().invoke(cli, ["notify", "check", "--society", "DES"], env=env)
    assert previewed.exit_code == 0 and "Subject: 本会已收到 DES-2026-0042" in previewed.output
    assert checked.exit_code == 0 and checked.output == "DES: 1 templates of its own, all usable\n"

    broken = own(
        tmp_path,
        "{% extends layout %}\n{% block subject %}x{% endblock %}\n{% block body %}\n{{ due_date }}\n{% endblock %}",
    )
    for args in (
        ["notify", "check", "--society", "DES"],
        ["notify", "preview", "application.submit", "--society", "DES"],
    ):
        refused = CliRunner().invoke(cli, args, env=env)
        assert refused.exit_code == 2 and refused.output.count("\n") == 1
        assert refused.output.startswith(
            f"error: {broken}, line 4: the template is refused, 'due_date' is not a variable"
        )
