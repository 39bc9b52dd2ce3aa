"""Seeded fuzzing of every file-taking command and the main numeric options: never an internal error.

The inputs are drawn by Hypothesis with a fixed seed (the same every run) and a bounded number per command,
so the whole module stays within about a minute; `python -m bench.hostile_inputs` runs more of them and
counts. On PostgreSQL fewer are drawn: what differs there is what the database accepts (NUL characters,
texts longer than a column), which the guard in front of both backends refuses alike.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ..hostile import TARGETS, prepare, survey

SQLITE_EXAMPLES = 60
POSTGRES_EXAMPLES = 12


def test_no_hostile_file_or_option_gives_an_internal_error_on_sqlite(tmp_path: Path) -> None:
    found = survey(prepare(f"sqlite:///{tmp_path / 'fuzz.db'}"), tmp_path, SQLITE_EXAMPLES)
    assert found.tried == SQLITE_EXAMPLES * (len(TARGETS) + 1)
    assert not found.failures, found.summary()


@pytest.mark.postgres
def test_no_hostile_file_or_option_gives_an_internal_error_on_postgresql(tmp_path: Path, postgres_url: str) -> None:
    found = survey(prepare(postgres_url), tmp_path, POSTGRES_EXAMPLES)
    assert found.tried == POSTGRES_EXAMPLES * (len(TARGETS) + 1)
    assert not found.failures, found.summary()
