"""`capeval db upgrade` keys the plain SHA-256 digests of an older database in place (0007_keyed_identity).

A database at 0005 holds two people and a lifetime ban by plain digest. Without a key the upgrade is refused
before anything runs; with the key every digest is keyed, the masked numbers lose their check character,
and the same ID numbers still find the same people and the same ban.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from click.testing import CliRunner, Result

from capeval.cli.main import cli
from capeval.models.database import make_engine
from capeval.models.migrate import alembic_config, current_revision, head_revision
from capeval.services.bootstrap import bootstrap
from capeval.settings import Settings
from capeval.states.identity import id_number_digest, key_check

from ..factories import id_number
from ..runtimes import TEST_ID_KEY
from .test_cli import write_application, write_society

KEY = TEST_ID_KEY.encode()


def capeval(url: str, *args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", url, *args], env=env)


def database_at_0005(url: str) -> None:
    """A database at revision 0005 with applicants 1 and 2 by plain SHA-256 digest; applicant 2 banned for life."""
    engine = make_engine(url, create=True)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0005_governance")
        now = datetime(2025, 6, 1, tzinfo=UTC)
        for serial in (1, 2):
            number = id_number(serial)
            connection.execute(
                sa.text(
                    "INSERT INTO person (name, id_number_digest, id_number_masked, email, language, employer,"
                    " created_at) VALUES (:name, :digest, :masked, :email, 'zh-CN', '', :at)"
                ),
                {
                    "name": f"申请人{serial}",
                    "digest": hashlib.sha256(number.encode("ascii")).hexdigest(),
                    "masked": number[:6] + "*" * 11 + number[17],
                    "email": f"p{serial}@example.cn",
                    "at": now,
                },
            )
        connection.execute(
            sa.text(
                "INSERT INTO lifetime_ban (id_number_digest, person_id, reason, imposed_by, imposed_at)"
                " SELECT :digest, id, '提供虚假材料', '王秘书', :at FROM person WHERE name = '申请人2'"
            ),
            {"digest": hashlib.sha256(id_number(2).encode("ascii")).hexdigest(), "at": now},
        )
    engine.dispose()


def test_an_upgrade_without_a_key_is_refused_before_anything_runs(database_url: str) -> None:
    database_at_0005(database_url)
    refused = capeval(database_url, "db", "upgrade", env={"CAPEVAL_ID_KEY": None})
    assert refused.exit_code == 2
    [line] = refused.stderr.strip().splitlines()
    assert "holds 3 ID-number digests that the upgrade keys" in line and "CAPEVAL_ID_KEY" in line
    engine = make_engine(database_url)
    assert current_revision(engine) == "0005_governance"
    assert not sa.inspect(engine).has_table("database_mark")
    engine.dispose()


def test_the_upgrade_keys_every_digest_in_place_and_the_same_numbers_find_the_same_people(
    database_url: str, tmp_path: Path
) -> None:
    database_at_0005(database_url)
    upgraded = capeval(database_url, "db", "upgrade")
    assert upgraded.exit_code == 0 and "from schema 0005_governance" in upgraded.stdout

    runtime = bootstrap(Settings.load(database_url=database_url))
    assert current_revision(runtime.engine) == head_revision()
    with runtime.unit_of_work() as uow:
        first = uow.directory.person_by_digest(id_number_digest(id_number(1), KEY))
        assert first is not None and first.name == "申请人1"
        assert first.id_number_masked == id_number(1)[:6] + "*" * 12
        assert uow.directory.person_by_digest(hashlib.sha256(id_number(1).encode()).hexdigest()) is None
        second = uow.directory.person_by_digest(id_number_digest(id_number(2), KEY))
        ban = uow.registry.ban(id_number_digest(id_number(2), KEY))
        assert second is not None and ban is not None and ban.person_id == second.id
        assert uow.marks.value("id_key_check") == key_check(KEY)
    runtime.engine.dispose()

    assert capeval(database_url, "society", "load", str(write_society(tmp_path, [1, 2]))).exit_code == 0
    banned = capeval(database_url, "case", "create", str(write_application(tmp_path, 2)), "--submit")
    assert banned.exit_code == 2 and "banned for life" in banned.stderr
    created = json.loads(capeval(database_url, "case", "create", str(write_application(tmp_path, 1)), "--json").stdout)
    shown = json.loads(capeval(database_url, "case", "show", str(created["case_id"]), "--json").stdout)
    assert shown["applicant"] == {"name": "申请人1", "id_number": id_number(1)[:6] + "*" * 12, "email": "p1@example.cn"}
    engine = make_engine(database_url)
    with engine.connect() as connection:
        names = connection.execute(sa.text("SELECT name FROM person WHERE name LIKE '申请人%'")).scalars().all()
    assert sorted(names) == ["申请人1", "申请人2"]
    engine.dispose()
