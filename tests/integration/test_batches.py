"""Evaluation batches (Q&A Q19-Q20): an applicant not passed applies again in a later batch, not the same one."""

from __future__ import annotations

import dataclasses

import pytest

from capeval.services.handlers import handle
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.commands import TakeAction
from capeval.states.errors import GuardRefused

from ..factories import act, application_order
from ..review_factories import load_review_society


def case_in_batch(runtime: Runtime, batch: str) -> tuple[int, str]:
    created = handle(runtime, dataclasses.replace(application_order(1), batch=batch))
    return created.case_id, created.applicant or ""


def rejected_in(runtime: Runtime, batch: str) -> None:
    case_id, applicant = case_in_batch(runtime, batch)
    handle(runtime, TakeAction(case_id, Action.SUBMIT, applicant))
    act(runtime, case_id, Action.ACCEPT_FOR_REVIEW)
    assert act(runtime, case_id, Action.FAIL_MATERIAL_REVIEW, "工程实践证明不足").stage == "rejected"


def test_an_applicant_rejected_in_a_batch_cannot_apply_again_in_the_same_batch(runtime: Runtime) -> None:
    load_review_society(runtime, members=[1], examiners=3)
    rejected_in(runtime, "2026年第一批")
    again, applicant = case_in_batch(runtime, "2026年第一批")
    with pytest.raises(GuardRefused, match="later batch"):
        handle(runtime, TakeAction(again, Action.SUBMIT, applicant))


def test_an_applicant_rejected_in_a_batch_may_apply_in_another_batch(runtime: Runtime) -> None:
    load_review_society(runtime, members=[1], examiners=3)
    rejected_in(runtime, "2026年第一批")
    later, applicant = case_in_batch(runtime, "2026年第二批")
    assert handle(runtime, TakeAction(later, Action.SUBMIT, applicant)).stage == "submitted"
