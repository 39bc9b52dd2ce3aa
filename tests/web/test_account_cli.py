"""`capeval account set-password` reads the password from standard input; bad input is one line, exit 2."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from capeval.cli.main import cli
from capeval.services import accounts

from ..factories import load_society
from ..runtimes import new_runtime


def test_set_password_reads_standard_input_and_the_password_then_signs_in(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'capeval.db'}"
    runtime = new_runtime(url)
    load_society(runtime, [1])
    runner = CliRunner()
    done = runner.invoke(cli, ["--db", url, "account", "set-password", "p1"], input="a long password\n")
    assert done.exit_code == 0, done.output
    assert accounts.log_in(runtime, "p1", "a long password", "127.0.0.1").who.username == "p1"
    short = runner.invoke(cli, ["--db", url, "account", "set-password", "p1"], input="short\n")
    assert short.exit_code == 2 and "at least 10 characters" in short.output
    empty = runner.invoke(cli, ["--db", url, "account", "set-password", "p1"], input="")
    assert empty.exit_code == 2 and "no password was given" in empty.output
    unknown = runner.invoke(cli, ["--db", url, "account", "set-password", "nobody"], input="a long password\n")
    assert unknown.exit_code == 2
    runtime.engine.dispose()
