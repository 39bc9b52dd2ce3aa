"""`capeval society`: load a society's directory."""

from __future__ import annotations

from pathlib import Path

import click

from capeval.services.directory import load_directory
from capeval.services.documents import read_document

from .main import AppContext, pass_app


@click.group("society")
def command() -> None:
    """Societies, their authorized fields, workgroups, examiners and members."""


@command.command("load")
@click.argument("path", metavar="FILE", type=click.Path(path_type=Path))
@pass_app
def load(app: AppContext, path: Path) -> None:
    """Store or update a society from a JSON/TOML directory file (see README)."""
    report = load_directory(app.runtime, read_document(path), origin=str(path))
    click.echo(
        f"{report.society}: {report.authorizations} authorized fields, {report.workgroup} workgroup, "
        f"{report.examiners} examiners, {report.members} members"
    )
