"""`capeval diagram`: print the workflow's Mermaid diagram (the README embeds it)."""

from __future__ import annotations

import click

from capeval.states.diagram import mermaid


@click.command("diagram")
def command() -> None:
    """Print the application workflow as a Mermaid state diagram."""
    click.echo(mermaid(), nl=False)
