"""Replaying a history against its workflow (`states.history`): what a history explains and what it does not."""

from __future__ import annotations

from capeval.states import appeals, application, certificates
from capeval.states.history import Ledger, Line, Standing, unexplained
from capeval.states.levels import Route
from capeval.states.messages import Term

CASES = Ledger(application.WORKFLOW, "create", frozenset({"revise", "add_supplement"}), versioned=True)
CERTIFICATES = Ledger(certificates.WORKFLOW, "issue", frozenset({"renewal_refused"}))
APPEALS = Ledger(appeals.WORKFLOW, "lodge", versioned=True)
CASE = Term("history_subject_case", {"id": 7})

INTERNATIONAL_APPROVAL = [
    Line(None, "draft", "create", 1),
    Line("draft", "draft", "revise", 2),
    Line("draft", "submitted", "submit", 3),
    Line("submitted", "material_review", "accept_for_review", 4),
    Line("material_review", "committee_review", "pass_material_review", 5),
    Line("committee_review", "secretariat_confirmation", "approve", 6),
]


def found(ledger: Ledger, record: Standing, lines: list[Line]) -> str | None:
    problem = unexplained(ledger, record, lines)
    return None if problem is None else problem.text()


def test_a_history_of_table_moves_and_revisions_explains_its_case() -> None:
    record = Standing(CASE, "secretariat_confirmation", 6, route=Route.INTERNATIONAL)
    assert found(CASES, record, INTERNATIONAL_APPROVAL) is None


def test_a_move_of_another_route_is_not_explained() -> None:
    record = Standing(CASE, "secretariat_confirmation", 6, route=Route.STANDARD)
    assert found(CASES, record, INTERNATIONAL_APPROVAL) == (
        "case 7: line 6 'approve' from committee_review to secretariat_confirmation is not a move of the "
        "application workflow"
    )


def test_a_history_must_open_the_record_at_the_first_stage() -> None:
    record = Standing(CASE, "submitted", 2)
    assert found(CASES, record, []) == "case 7 has no history at all"
    assert found(CASES, record, [Line(None, "submitted", "create", 1)]) == (
        "case 7: its history opens with 'create' from - to submitted, not with 'create' to draft"
    )
    assert found(CASES, Standing(CASE, "draft", 2), [Line(None, "draft", "create", 2)]) == (
        "case 7: line 1 is at version 2, the line before makes it 1"
    )


def test_a_standing_action_that_moves_the_stage_is_not_explained() -> None:
    lines = [Line(None, "draft", "create", 1), Line("draft", "submitted", "revise", 2)]
    assert found(CASES, Standing(CASE, "submitted", 2), lines) == (
        "case 7: line 2 'revise' from draft to submitted is not a move of the application workflow"
    )


def test_a_version_raised_without_a_line_is_not_explained_unless_the_caller_names_the_raise() -> None:
    lodged = [Line(None, "lodged", "lodge", 1)]
    subject = Term("history_subject_appeal", {"id": "AP-2026-0001"})
    assert found(APPEALS, Standing(subject, "lodged", 2), lodged) == (
        "appeal AP-2026-0001 is at version 2, but its history explains version 1"
    )
    assert found(APPEALS, Standing(subject, "lodged", 2, unrecorded_versions=1), lodged) is None


def test_a_certificate_counts_one_renew_line_per_renewal_and_a_refusal_keeps_its_status() -> None:
    subject = Term("history_subject_certificate", {"id": "CE-X-2026-00001"})
    lines = [
        Line(None, "active", "issue"),
        Line("active", "active", "renewal_refused"),
        Line("active", "active", "renew"),
    ]
    assert found(CERTIFICATES, Standing(subject, "active", counts={"renew": 1}), lines) is None
    assert found(CERTIFICATES, Standing(subject, "active", counts={"renew": 2}), lines) == (
        "certificate CE-X-2026-00001 counts 2 'renew', but its history has 1"
    )


def test_a_reprojection_line_keeps_the_version_and_one_written_before_raised_it_is_explained_too() -> None:
    standing = frozenset({"reproject"})
    keeping = Ledger(appeals.WORKFLOW, "lodge", standing, versioned=True, unversioned=standing)
    subject = Term("history_subject_appeal", {"id": "AP-2026-0001"})
    kept = [Line(None, "lodged", "lodge", 1), Line("lodged", "lodged", "reproject", 1)]
    assert found(keeping, Standing(subject, "lodged", 1), kept) is None
    raised = [Line(None, "lodged", "lodge", 1), Line("lodged", "lodged", "reproject", 2)]
    assert found(keeping, Standing(subject, "lodged", 2), raised) is None
    raising = Ledger(appeals.WORKFLOW, "lodge", standing, versioned=True)
    assert found(raising, Standing(subject, "lodged", 1), kept) == (
        "appeal AP-2026-0001: line 2 is at version 1, the line before makes it 2"
    )
