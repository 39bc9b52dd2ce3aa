"""`python -m capeval.cli` runs the `capeval` command."""

from . import collector

collector.pause()

from .main import main  # noqa: E402  (imported with the collector paused)

main()
