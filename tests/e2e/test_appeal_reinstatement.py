"""An upheld appeal against a suspension or a revocation reinstates the certificate (Charter art. 11): the
certificate workflow's `reinstate` move, on the appeal's resolution, with its history line and the holder's
notice; a dismissed appeal leaves it as it is; a certificate whose validity has ended cannot be reinstated."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result

from capeval.cli.main import cli

from .journeys import WORKGROUP
from .test_impartiality_cli import MEMBER, SECOND, SECRETARIAT, THIRD, certificate, lodge, record, refused

Call = Callable[..., Result]
APPLICANT = "p1"


@pytest.fixture
def call(database_url: str) -> Call:
    runner = CliRunner()

    def invoke(*args: str, now: str = "2026-01-05") -> Result:
        return runner.invoke(cli, ["--db", database_url, "--now", now, *args], catch_exceptions=False)

    assert invoke("db", "init", "--simulation").exit_code == 0
    return invoke


def decided_appeal(call: Call, number: str, subject: str, day: str) -> str:
    """The holder's appeal against `subject`, lodged and given a panel; a valid resolution is on record."""
    lodged = lodge(call, "--actor", APPLICANT, "--subject", subject, "--certificate", number, now=day)
    assert lodged.exit_code == 0, lodged.output
    reference = str(json.loads(lodged.stdout)["reference"])
    assert (
        call("appeal", "act", reference, "appoint_panel", "--actor", MEMBER, "--panel", THIRD, now=day).exit_code == 0
    )
    return reference


def resolution(call: Call, reference: str, day: str) -> str:
    votes = (f"{MEMBER}=for", f"{SECOND}=for", f"{THIRD}=for")
    made = json.loads(record(call, f"appeal:{reference}", SECRETARIAT, *votes).stdout)
    assert made["valid"], made
    return str(made["reference"])


def shown(call: Call, number: str, day: str) -> dict[str, Any]:
    return dict(json.loads(call("certificate", "show", number, "--json", now=day).stdout))


def decide(call: Call, reference: str, action: str, day: str) -> Result:
    basis = resolution(call, reference, day)
    return call(
        "appeal",
        "act",
        reference,
        action,
        "--actor",
        MEMBER,
        "--reason",
        "原决定依据不足",
        "--resolution",
        basis,
        "--json",
        now=day,
    )


@pytest.mark.parametrize(
    ("change", "subject", "status"), [("suspend", "suspension", "suspended"), ("revoke", "revocation", "revoked")]
)
def test_an_upheld_appeal_returns_the_suspended_or_revoked_certificate_to_active(
    call: Call, tmp_path: Path, change: str, subject: str, status: str
) -> None:
    number = certificate(call, tmp_path)
    assert (
        call("certificate", change, number, "--actor", WORKGROUP, "--reason", "待核实", now="2026-01-20").exit_code == 0
    )
    assert shown(call, number, "2026-01-20")["status"] == status
    reference = decided_appeal(call, number, subject, "2026-01-22")

    upheld = decide(call, reference, "uphold", "2026-02-02")

    assert upheld.exit_code == 0, upheld.output
    detail = json.loads(upheld.stdout)["detail"]
    assert (detail["certificate"], detail["certificate_status"], detail["reinstated"]) == (number, "active", True)
    page = shown(call, number, "2026-02-02")
    assert page["status"] == "active"
    last = page["history"][-1]
    assert (last["change"], last["from"], last["to"]) == ("reinstate", status, "active")
    assert reference in last["reason"] and MEMBER in str(last)
    notices = [
        n for n in json.loads(call("outbox", "list", "--json").stdout) if n["template"] == "certificate.status_changed"
    ]
    assert len(notices) == 2  # the decision appealed, then the reinstatement


def test_a_dismissed_appeal_leaves_the_certificate_suspended(call: Call, tmp_path: Path) -> None:
    number = certificate(call, tmp_path)
    assert (
        call("certificate", "suspend", number, "--actor", WORKGROUP, "--reason", "待核实", now="2026-01-20").exit_code
        == 0
    )
    reference = decided_appeal(call, number, "suspension", "2026-01-22")

    dismissed = decide(call, reference, "dismiss", "2026-02-02")

    assert dismissed.exit_code == 0, dismissed.output
    assert "reinstated" not in json.loads(dismissed.stdout)["detail"]
    page = shown(call, number, "2026-02-02")
    assert page["status"] == "suspended"
    assert page["history"][-1]["change"] == "suspend"


def test_a_certificate_restored_before_the_appeal_is_decided_is_left_as_it_is(call: Call, tmp_path: Path) -> None:
    number = certificate(call, tmp_path)
    assert (
        call("certificate", "suspend", number, "--actor", WORKGROUP, "--reason", "待核实", now="2026-01-20").exit_code
        == 0
    )
    reference = decided_appeal(call, number, "suspension", "2026-01-22")
    assert (
        call("certificate", "restore", number, "--actor", WORKGROUP, "--reason", "已核实", now="2026-01-26").exit_code
        == 0
    )

    upheld = decide(call, reference, "uphold", "2026-02-02")

    assert upheld.exit_code == 0, upheld.output
    detail = json.loads(upheld.stdout)["detail"]
    assert (detail["certificate_status"], detail["reinstated"]) == ("active", False)
    assert [h["change"] for h in shown(call, number, "2026-02-02")["history"]][-2:] == ["suspend", "restore"]


def test_a_revoked_certificate_whose_validity_has_ended_is_not_reinstated_and_the_appeal_stays_open(
    call: Call, tmp_path: Path, database_url: str
) -> None:
    number = certificate(call, tmp_path)
    assert (
        call("certificate", "revoke", number, "--actor", WORKGROUP, "--reason", "材料造假", now="2026-01-20").exit_code
        == 0
    )
    reference = decided_appeal(call, number, "revocation", "2026-01-22")
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:  # a certificate whose five years ended while the appeal was heard
        connection.execute(sa.text("UPDATE certificate SET expires_on = '2026-01-30'"))
    engine.dispose()

    late = decide(call, reference, "uphold", "2026-02-02")

    refused(late, "2026-01-30")
    assert shown(call, number, "2026-02-02")["status"] == "revoked"
    assert json.loads(call("appeal", "show", reference, "--json").stdout)["stage"] == "under_review"
