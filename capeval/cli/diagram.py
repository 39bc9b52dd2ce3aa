"""`capeval diagram`: print a workflow's Mermaid diagram (the README embeds each of them)."""

from __future__ import annotations

import click

from capeval.states.diagram import WORKFLOWS, mermaid


@click.command("diagram")
@click.argument("workflow", type=click.Choice(list(WORKFLOWS)), default="application")
def command(workflow: str) -> None:
    """Print WORKFLOW (application by default) as a Mermaid state diagram."""
    click.echo(mermaid(workflow), nl=False)
