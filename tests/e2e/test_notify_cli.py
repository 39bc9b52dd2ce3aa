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
