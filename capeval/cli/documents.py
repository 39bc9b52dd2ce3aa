"""`capeval documents`: the document store as a whole (collecting the files no row names any more)."""

from __future__ import annotations

import click

from capeval.services.document_gc import GRACE_HOURS, collect_documents
from capeval.states.messages import render_message

from .main import AppContext, pass_app
from .output import emit_json


@click.group("documents")
def command() -> None:
    """The document store: collect the files no row names any more."""


@command.command("gc")
@click.option("--actor", required=True, help="The federation administrator who collects.")
@click.option(
    "--older-than",
    "older_than",
    type=int,
    default=GRACE_HOURS,
    show_default=True,
    metavar="HOURS",
    help="Only files written at least this many hours ago (fresh uploads may not have their row yet).",
)
@click.option("--apply", is_flag=True, help="Delete the files listed (without it, only list them).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def gc(app: AppContext, actor: str, older_than: int, apply: bool, as_json: bool) -> None:
    """List the kept files that no document or evidence row names, and the temporary files interrupted uploads
    left, with their bytes; delete them with --apply."""
    found = collect_documents(app.runtime, actor, older_than_hours=older_than, apply=apply)
    if as_json:
        emit_json(found)
        return
    for kept in found.files:
        click.echo(f"{kept.digest}  {kept.size}  {kept.written_at.isoformat(timespec='seconds')}")
    for item in found.leftovers:
        click.echo(f"{item.name}  {item.size}  {item.written_at.isoformat(timespec='seconds')}")
    done = "documents_gc_deleted" if found.applied else "documents_gc_would_delete"
    language = app.language
    click.echo(render_message(done, {"count": len(found.files), "bytes": found.bytes}, language))
    if found.leftovers:
        gone = "documents_gc_leftovers_deleted" if found.applied else "documents_gc_leftovers_would_delete"
        click.echo(render_message(gone, {"count": len(found.leftovers), "bytes": found.leftover_bytes}, language))
    counts = {"referenced": found.referenced, "fresh": found.fresh, "hours": older_than}
    click.echo(render_message("documents_gc_kept", counts, language))
