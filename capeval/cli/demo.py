"""`capeval demo`: the main job."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("demo")
@click.option(
    "--out",
    "out_dir",
    default="capeval-demo",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder for the demo's fresh database (replaced on every run; its Prefect home is kept).",
)
def command(out_dir: Path) -> None:
    """Seed a society and twenty applicants and drive them through months of the pipeline."""
    import os

    from .collector import resume

    resume()  # a long run: collect as usual
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    from capeval.demo.run import run_demo

    database = run_demo(out_dir, click.echo)
    click.echo(f"database: {database} (inspect with: capeval --db sqlite:///{database} case board)")
