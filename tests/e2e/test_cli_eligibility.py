"""Eligibility held at every decision, through `capeval case act` as the workgroup uses it.

A refusal is one line on stderr, exit code 2, and the case is left as it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from capeval.cli.main import cli

from ..factories import FIELD, id_number, society_document, statement
from .journeys import approved

Invoke = Callable[..., Result]


@pytest.fixture
def invoke(tmp_path: Path) -> Invoke:
    runner = CliRunner()
    database = f"sqlite:///{tmp_path / 'cli.db'}"
    policy = tmp_path / "policy.toml"
    policy.write_text("[pipeline]\naccept_concurrent_membership = true\n", encoding="utf-8")

    def call(*args: str) -> Result:
        return runner.invoke(cli, ["--db", database, "--policy", str(policy), *args], catch_exceptions=False)

    assert call("db", "init").exit_code == 0
    return call


def load(invoke: Invoke, tmp_path: Path, **options: Any) -> None:
    path = tmp_path / "society.json"
    path.write_text(json.dumps(society_document(**options), ensure_ascii=False), encoding="utf-8")
    assert invoke("society", "load", str(path)).exit_code == 0


def create(invoke: Invoke, tmp_path: Path, serial: int, *, submit: bool = True, **extra: object) -> int:
    document = {
        "applicant": {"name": f"申请人{serial}", "id_number": id_number(serial), "email": f"p{serial}@example.cn"},
        "society": "CES",
        "field": FIELD,
        "level": "professional",
        "commitment_signed": True,
        "self_statement": statement(2500),
        "evidence": [{"kind": k, "reference": f"{k}.pdf"} for k in ("id_card_front", "id_card_back", "education")],
        **extra,
    }
    path = tmp_path / f"application-{serial}-{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    created = invoke("case", "create", str(path), *(["--submit"] if submit else []), "--json")
    assert created.exit_code == 0, created.stderr
    return int(json.loads(created.stdout)["case_id"])


def act(invoke: Invoke, case_id: int, action: str, reason: str = "") -> Result:
    return invoke("case", "act", str(case_id), action, "--actor", "王秘书", *(["--reason", reason] if reason else []))


def shown(invoke: Invoke, case_id: int) -> str:
    return str(invoke("case", "show", str(case_id), "--json").stdout)


def assert_refused_unchanged(invoke: Invoke, case_id: int, result: Result, before: str, message: str) -> None:
    assert result.exit_code == 2
    assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1 and message in result.stderr
    assert shown(invoke, case_id) == before


def test_a_member_still_pending_is_refused_registration_in_one_line(invoke: Invoke, tmp_path: Path) -> None:
    load(invoke, tmp_path, members=[], pending=[1])
    case_id = create(invoke, tmp_path, 1)
    approved(invoke, case_id, tmp_path)
    before = shown(invoke, case_id)

    refused = act(invoke, case_id, "register")

    assert_refused_unchanged(invoke, case_id, refused, before, "membership of society 'CES' is still pending")
    load(invoke, tmp_path, members=[1])
    assert act(invoke, case_id, "register").exit_code == 0


def test_a_parallel_application_in_the_same_field_is_refused_in_one_line(invoke: Invoke, tmp_path: Path) -> None:
    load(invoke, tmp_path, members=[1])
    first = create(invoke, tmp_path, 1, level="apprentice")
    second = create(invoke, tmp_path, 1, submit=False, level="senior")
    before = shown(invoke, second)

    refused = invoke("case", "act", str(second), "submit", "--actor", "申请人1")

    assert_refused_unchanged(invoke, second, refused, before, f"(case {first})")


def test_a_disqualified_person_gets_no_certificate_from_a_parallel_approved_case(
    invoke: Invoke, tmp_path: Path
) -> None:
    load(invoke, tmp_path, members=[1], fields=(FIELD, "civil"))
    approved_case = create(invoke, tmp_path, 1)
    approved(invoke, approved_case, tmp_path)
    forged = create(invoke, tmp_path, 1, field="civil")

    assert act(invoke, forged, "disqualify", "学历证明系伪造").exit_code == 0
    before = shown(invoke, approved_case)
    assert json.loads(before)["stage"] == "disqualified"

    refused = act(invoke, approved_case, "register")

    assert_refused_unchanged(invoke, approved_case, refused, before, "allowed now: none")
    history = json.loads(before)["history"]
    assert history[-1]["reason"] == f"case {forged} disqualified: 学历证明系伪造"
