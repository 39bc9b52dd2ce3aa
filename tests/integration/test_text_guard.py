"""What the database is given is checked the same on SQLite and PostgreSQL: NUL characters, lone surrogates,
texts longer than their column and integers beyond it are refused before any statement runs."""

from __future__ import annotations

import dataclasses

import pytest

from capeval.services import queries
from capeval.services.handlers import handle
from capeval.services.runtime import Runtime
from capeval.states.commands import EvidenceRef
from capeval.states.errors import InputError

from ..factories import application_order, load_society


def cases(runtime: Runtime) -> int:
    return len(queries.board(runtime, None, None, limit=1000).rows)


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("diploma\x00.pdf", "evidence_item.reference: contains a NUL character"),
        ("diploma\ud800.pdf", "evidence_item.reference: contains a lone surrogate"),
        ("d" * 501, "evidence_item.reference: 501 characters, at most 500"),
    ],
    ids=["nul", "lone-surrogate", "over-the-column"],
)
def test_text_the_database_cannot_hold_is_refused_alike_and_nothing_is_written(
    runtime: Runtime, reference: str, expected: str
) -> None:
    load_society(runtime, [1])
    order = application_order(1)
    order = dataclasses.replace(order, evidence=(*order.evidence, EvidenceRef("award", reference)))
    with pytest.raises(InputError, match=expected.replace("(", r"\(")):
        handle(runtime, order)
    assert cases(runtime) == 0


def test_a_batch_longer_than_its_column_is_refused_on_both_backends(runtime: Runtime) -> None:
    load_society(runtime, [1])
    with pytest.raises(InputError, match="application.batch: 41 characters, at most 40"):
        handle(runtime, dataclasses.replace(application_order(1), batch="b" * 41))
    assert cases(runtime) == 0
    assert handle(runtime, dataclasses.replace(application_order(1), batch="b" * 40)).stage == "draft"
