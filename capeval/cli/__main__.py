"""`python -m capeval.cli` runs the `capeval` command."""

from .main import main

main()
