"""Evaluation batches (Q&A Q19) declared in the society directory file (`[[batch]]`): added, updated by name,
kept when the file no longer names them, checked by the submission guards, and every bad entry is one line
with nothing written."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest

from capeval.services import batches
from capeval.services.directory import load_directory
from capeval.services.handlers import handle
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.commands import TakeAction
from capeval.states.errors import GuardRefused, InputError

from ..factories import SOCIETY, application_order, society_document


def directory(*entries: dict[str, Any]) -> dict[str, Any]:
    return {**society_document([1, 2]), "batch": list(entries)}


def test_batches_of_the_file_are_declared_and_a_second_load_updates_their_days(runtime: Runtime) -> None:
    report = load_directory(
        runtime, directory({"name": "2026年第一批", "from": "2025-12-01", "until": "2026-01-04"}), origin="d.toml"
    )
    assert report.batches == 1
    created = handle(runtime, dataclasses.replace(application_order(1), batch="2026年第一批"))
    with pytest.raises(GuardRefused, match="through 2026-01-04, not today"):
        handle(runtime, TakeAction(created.case_id, Action.SUBMIT, created.applicant or ""))
    load_directory(
        runtime,
        directory({"name": "2026年第一批", "from": "2025-12-01", "until": "2026-01-05"}),
        origin="d.toml",
    )
    load_directory(runtime, directory(), origin="d.toml")
    [line] = batches.list_batches(runtime, SOCIETY)
    assert (line.name, line.closes_on, line.open_today) == ("2026年第一批", date(2026, 1, 5), True)
    assert line.declared_by == "society load d.toml"
    assert handle(runtime, TakeAction(created.case_id, Action.SUBMIT, created.applicant or "")).stage == "submitted"


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (
            ({"name": "第一批", "from": "2026-02-01", "until": "2026-01-31"},),
            r"batch\[0\]: the batch '第一批' would close on",
        ),
        (
            ({"name": "第一批", "from": "2026-01-01", "until": "2026-01-31"},) * 2,
            r"batch\[1\]: the batch '第一批' is already",
        ),
        (({"name": "第一批", "from": "2026-01-01", "to": "2026-01-31"},), r"batch\[0\]: unknown keys to"),
        (({"name": "第一批", "from": "2026-13-01", "until": "2026-01-31"},), r"batch\[0\]"),
        (({"name": " ", "from": "2026-01-01", "until": "2026-01-31"},), r"batch\[0\]"),
    ],
)
def test_a_bad_batch_entry_is_one_line_and_nothing_is_written(
    runtime: Runtime, entries: tuple[dict[str, Any], ...], message: str
) -> None:
    with pytest.raises(InputError, match=message) as refused:
        load_directory(runtime, directory(*entries), origin="d.toml")
    assert "\n" not in str(refused.value)
    with runtime.unit_of_work() as uow:
        assert uow.directory.society_by_code(SOCIETY) is None
