"""The CLI loads a command group only when it runs, and finds the schema's head without Alembic."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from capeval.cli.main import COMMANDS, cli
from capeval.models.migrate import _alembic_head, head_revision


def _modules_after(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> set[str]:
    """The modules a fresh interpreter holds after running `capeval ARGS` in-process."""
    script = (
        "import sys\n"
        "from capeval.cli.main import cli\n"
        f"try:\n    cli.main({list(args)!r}, standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=cwd, env=env)
    return set(done.stdout.split())


def test_every_listed_short_help_is_the_groups_own() -> None:
    context = click.Context(cli)
    for name, (_, short) in COMMANDS.items():
        command = cli.get_command(context, name)
        assert command is not None and command.name == name
        assert short == command.get_short_help_str(limit=10**6)


def test_help_lists_every_group_without_loading_any() -> None:
    loaded = _modules_after("--help")
    assert not {f"capeval.cli.{name}" for name in COMMANDS} & loaded
    assert not {"sqlalchemy", "sqlmodel", "alembic", "jinja2"} & loaded


def test_a_command_without_a_database_loads_no_database_library(tmp_path: Path) -> None:
    for args in (("rules", "list"), ("calendar", "is-working-day", "2026-10-08")):
        loaded = _modules_after(*args, cwd=tmp_path)
        assert "capeval.cli." + args[0] in loaded
        assert not {"sqlalchemy", "sqlmodel", "alembic", "capeval.cli.case"} & loaded


def test_rules_list_loads_no_state_machine(tmp_path: Path) -> None:
    loaded = _modules_after("rules", "list", cwd=tmp_path)
    assert "capeval.states.policies" in loaded
    assert not {"transitions", "capeval.states.engine", "capeval.states.certificates"} & loaded


def _without_capeval_variables(**extra: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.upper().startswith("CAPEVAL_")}, **extra}


def test_a_command_without_a_database_reads_its_settings_without_pydantic(tmp_path: Path) -> None:
    environ = _without_capeval_variables(CAPEVAL_LANG="zh-CN", CAPEVAL_ID_KEY="k" * 32)
    loaded = _modules_after("--now", "2026-03-02", "rules", "list", cwd=tmp_path, env=environ)
    assert "capeval.cli.rules" in loaded
    assert not {"pydantic", "pydantic_settings", "capeval.settings"} & loaded


def test_a_bad_variable_is_refused_as_before_by_a_command_without_a_database(tmp_path: Path) -> None:
    for variable, value in (("CAPEVAL_SMTP_PORT", "70000"), ("CAPEVAL_LANG", "fr"), ("CAPEVAL_NOW", "soon")):
        environ = _without_capeval_variables(**{variable: value})
        done = subprocess.run(
            [sys.executable, "-m", "capeval.cli", "rules", "list"],
            capture_output=True, text=True, cwd=tmp_path, env=environ,
        )  # fmt: skip
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.startswith("error: ") and value in done.stderr and done.stderr.count("\n") == 1


def test_a_command_on_a_database_at_the_head_imports_neither_alembic_nor_the_holiday_estimator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.runtimes import TEST_ID_KEY, new_runtime

    url = f"sqlite:///{tmp_path / 'c.db'}"
    new_runtime(url).engine.dispose()
    monkeypatch.setenv("CAPEVAL_ID_KEY", TEST_ID_KEY)
    loaded = _modules_after("--db", url, "case", "board")
    assert "sqlalchemy" in loaded
    assert "alembic" not in loaded
    assert "holidays" not in loaded, "the estimator's package loads only when a year is estimated"


def test_the_head_read_from_the_migration_files_is_alembics() -> None:
    assert head_revision() == _alembic_head()


def test_case_act_loads_neither_the_templates_nor_the_queries_nor_the_tables_it_does_not_touch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from capeval.services.handlers import handle
    from tests.factories import application_order, load_society
    from tests.runtimes import TEST_ID_KEY, new_runtime

    url = f"sqlite:///{tmp_path / 'c.db'}"
    runtime = new_runtime(url)
    load_society(runtime, [1])
    created = handle(runtime, application_order(1))
    runtime.engine.dispose()
    monkeypatch.setenv("CAPEVAL_ID_KEY", TEST_ID_KEY)
    loaded = _modules_after(
        "--db", url, "case", "act", str(created.case_id), "submit", "--actor", created.applicant or ""
    )
    assert {"capeval.services.handlers", "capeval.models.cases", "submitted"} <= loaded, "the case was submitted"
    assert not {"jinja2", "capeval.notifications.rendering", "capeval.notifications.compose"} & loaded
    assert not {"capeval.services.queries", "capeval.services.case_documents", "capeval.services.appeals"} & loaded
    assert not {"capeval.models.accounts", "capeval.models.governance", "capeval.models.board"} & loaded
