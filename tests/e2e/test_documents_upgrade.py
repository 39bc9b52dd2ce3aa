"""`capeval db upgrade` to 0012_documents keeps the evidence recorded before documents were kept, as "no file"."""

from __future__ import annotations

import json

from click.testing import CliRunner

from capeval.cli.main import cli
from capeval.models.migrate import current_revision, head_revision, migrate
from capeval.services.handlers import handle

from ..factories import application_order, load_society
from ..runtimes import new_runtime

BEFORE = "0010_decision_basis"


def test_evidence_recorded_before_documents_were_kept_is_shown_as_no_file_after_the_upgrade(database_url: str) -> None:
    runtime = new_runtime(database_url)
    load_society(runtime, [1])
    case_id = handle(runtime, application_order(1)).case_id
    migrate(runtime.engine, BEFORE)
    assert current_revision(runtime.engine) == BEFORE
    runtime.engine.dispose()

    runner = CliRunner()
    upgraded = runner.invoke(cli, ["--db", database_url, "db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    listed = runner.invoke(
        cli, ["--db", database_url, "case", "documents", str(case_id), "--actor", "王秘书", "--json"]
    )
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert [(row["kind"], row["reference"], row["digest"]) for row in rows] == [
        ("id_card_front", "id-front.pdf", None),
        ("id_card_back", "id-back.pdf", None),
        ("education", "diploma.pdf", None),
    ]
    shown = runner.invoke(cli, ["--db", database_url, "case", "show", str(case_id)]).stdout
    assert shown.count("no file") == 3
    status = runner.invoke(cli, ["--db", database_url, "db", "status"]).stdout
    assert head_revision() in status
