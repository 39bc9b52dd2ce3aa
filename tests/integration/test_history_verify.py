"""`verify_histories` replays every history and names each record it cannot explain (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from capeval.cli.main import cli
from capeval.models import StageHistory
from capeval.services import review
from capeval.services.handlers import handle
from capeval.services.history_audit import verify_histories
from capeval.services.runtime import Runtime
from capeval.states.application import Action
from capeval.states.commands import AddSupplement, EvidenceRef, ReviseMaterial
from capeval.states.errors import DomainError

from ..factories import act, applicant_of, application_order, load_society, submitted_case
from .test_append_only_history import every_history
from .test_handlers import rows


def findings(runtime: Runtime) -> list[str]:
    return [problem.text() for problem in verify_histories(runtime, batch=2).findings]


def raw(runtime: Runtime, *statements: str) -> None:
    """Change the database behind capeval's back, as someone with a database client would."""
    with runtime.engine.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))


def lines_of(runtime: Runtime, case_id: int) -> list[tuple[str | None, str, str, int]]:
    lines = rows(runtime, StageHistory, application_id=case_id)
    return [(line.from_stage, line.to_stage, line.action, line.version) for line in lines]


def test_revisions_and_supplements_raise_the_version_with_a_history_line_on_the_same_stage(runtime: Runtime) -> None:
    load_society(runtime, members=[1, 2])
    draft = handle(runtime, application_order(1)).case_id
    applicant = applicant_of(runtime, draft)
    revised = handle(runtime, ReviseMaterial(draft, applicant, evidence=(EvidenceRef("award", "prize.pdf"),)))
    again = handle(runtime, ReviseMaterial(draft, applicant, sign_commitment=True))  # already signed: no value changes
    assert (revised.version, again.version) == (2, 3)
    assert lines_of(runtime, draft) == [
        (None, "draft", "create", 1),
        ("draft", "draft", "revise", 2),
        ("draft", "draft", "revise", 3),
    ]

    case_id = submitted_case(runtime, 2)
    act(runtime, case_id, Action.ACCEPT_FOR_REVIEW)
    act(runtime, case_id, Action.REQUEST_SUPPLEMENT, "请补充项目验收证明")
    applicant = applicant_of(runtime, case_id)
    review.provide_supplement(runtime, case_id, applicant, (EvidenceRef("supplement", "acceptance.pdf"),))
    actions = [(action, version) for _, _, action, version in lines_of(runtime, case_id)]
    assert actions[-2:] == [("add_supplement", actions[-3][1] + 1), ("provide_supplement", actions[-3][1] + 2)]
    assert findings(runtime) == []


def test_a_refused_revision_writes_no_line(runtime: Runtime) -> None:
    load_society(runtime, members=[1])
    case_id = submitted_case(runtime, 1)
    applicant = applicant_of(runtime, case_id)
    with pytest.raises(DomainError) as frozen:
        handle(runtime, ReviseMaterial(case_id, applicant, evidence=(EvidenceRef("award", "x.pdf"),)))
    with pytest.raises(DomainError) as unrequested:
        handle(runtime, AddSupplement(case_id, applicant, (EvidenceRef("supplement", "x.pdf"),)))
    assert (frozen.value.code, unrequested.value.code) == ("case_material_frozen", "case_supplement_not_requested")
    assert [line[2:] for line in lines_of(runtime, case_id)] == [("create", 1), ("submit", 2)]
    assert findings(runtime) == []


def test_every_history_of_a_journey_explains_its_record(runtime: Runtime) -> None:
    every_history(runtime)
    result = verify_histories(runtime, batch=1)
    assert result.findings == [] and result.clean
    assert result.replayed["case"] == 2 and result.replayed["certificate"] == 1
    assert result.replayed["review_task"] >= 2 and result.replayed["feedback"] == 1


def test_a_case_moved_or_counted_behind_the_histories_back_is_named(runtime: Runtime) -> None:
    every_history(runtime)  # case 1 registered (version 6), case 2 a revised draft (version 2)
    raw(
        runtime,
        "UPDATE application SET stage = 'approved' WHERE id = 2",
        "UPDATE application SET version = version + 1 WHERE id = 1",
    )
    assert findings(runtime) == [
        "case 1 is at version 7, but its history explains version 6",
        "case 2 is at approved, but its history leaves it at draft",
    ]


def test_a_forged_line_is_named_by_what_it_breaks(runtime: Runtime) -> None:
    every_history(runtime)
    line = (
        "INSERT INTO stage_history (application_id, version, from_stage, to_stage, action, actor, reason, basis, at) "
        "VALUES (2, 3, '{0}', '{1}', '{2}', 'someone', '', '', '2026-01-06 09:00:00')"
    )
    raw(runtime, line.format("submitted", "returned", "return_for_revision"))
    assert findings(runtime) == ["case 2: line 3 starts at submitted, but the line before left it at draft"]


def test_a_line_that_is_no_move_of_the_workflow_is_named(runtime: Runtime) -> None:
    every_history(runtime)
    raw(
        runtime,
        "INSERT INTO stage_history (application_id, version, from_stage, to_stage, action, actor, reason, basis, at) "
        "VALUES (2, 3, 'draft', 'registered', 'register', 'someone', '', '', '2026-01-06 09:00:00')",
        "UPDATE application SET stage = 'registered', version = 3 WHERE id = 2",
    )
    assert findings(runtime) == [
        "case 2: line 3 'register' from draft to registered is not a move of the application workflow"
    ]


def test_certificates_review_tasks_and_governance_cases_are_replayed_too(runtime: Runtime) -> None:
    journey = every_history(runtime)
    number = journey["certificate"]
    raw(
        runtime,
        "UPDATE certificate SET status = 'suspended'",
        "UPDATE review_task SET state = 'invited' WHERE id = (SELECT MIN(id) FROM review_task)",
        "UPDATE feedback SET version = version + 1",
    )
    with runtime.engine.connect() as connection:
        task = connection.execute(sa.text("SELECT MIN(id) FROM review_task")).scalar_one()
    assert findings(runtime) == [
        f"certificate {number} is at suspended, but its history leaves it at active",
        f"review task {task} is at invited, but its history leaves it at submitted",
        "feedback FB-2026-0001 is at version 2, but its history explains version 1",
    ]
    raw(runtime, "UPDATE certificate SET status = 'active', renewals = 1")
    assert findings(runtime)[0] == f"certificate {number} counts 1 'renew', but its history has 0"


def _bypass_the_delete_trigger(runtime: Runtime) -> str:
    if runtime.engine.dialect.name == "sqlite":
        raw(runtime, "DROP TRIGGER stage_history_no_delete")
        return "stage_history_no_delete"
    raw(runtime, "ALTER TABLE stage_history DISABLE TRIGGER stage_history_append_only")
    return "stage_history_append_only"


def test_a_line_removed_with_the_triggers_bypassed_is_named_with_the_lost_protection(runtime: Runtime) -> None:
    every_history(runtime)
    trigger = _bypass_the_delete_trigger(runtime)
    raw(runtime, "DELETE FROM stage_history WHERE application_id = 1 AND version = 3")
    assert findings(runtime) == [
        f"stage_history is not protected: the trigger {trigger} is missing or disabled; "
        "the owner of the tables creates it again as migration 0011_append_only_history does, then looks into who "
        "removed it",
        "case 1: line 3 starts at material_review, but the line before left it at submitted",
    ]


def test_db_verify_prints_one_line_per_finding_and_exits_2(runtime: Runtime, database_url: str) -> None:
    every_history(runtime)
    clean = CliRunner().invoke(cli, ["--db", database_url, "db", "verify"])
    assert clean.exit_code == 0, clean.output
    assert clean.output.strip().endswith("0 finding(s)")

    raw(runtime, "UPDATE application SET stage = 'approved' WHERE id = 2")
    found = CliRunner().invoke(cli, ["--db", database_url, "db", "verify"])
    assert found.exit_code == 2
    assert found.output.splitlines()[:-1] == ["case 2 is at approved, but its history leaves it at draft"]
    assert found.output.splitlines()[-1].endswith(": 1 finding(s)")
    chinese = CliRunner().invoke(cli, ["--db", database_url, "--lang", "zh-CN", "db", "verify"])
    assert chinese.output.splitlines()[0] == "案件2处于approved，但其历史止于draft"
