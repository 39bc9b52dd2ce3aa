"""The application runs on PostgreSQL as a role that does not own the tables, with the grants `capeval db grants`
gives it: everything it does works, and it can neither rewrite history nor lift the protection."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result

from capeval.cli.main import cli
from capeval.models.append_only import HISTORY_TABLES
from capeval.services.bootstrap import bootstrap
from capeval.services.database_roles import role_grants
from capeval.services.runtime import Runtime
from capeval.settings import Settings
from capeval.states.clock import FixedClock
from capeval.states.errors import DomainError, InputError

from ..factories import at
from ..runtimes import TEST_ID_KEY, new_runtime
from .test_append_only_history import every_history

pytestmark = pytest.mark.postgres


def capeval(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", url, *args])


@pytest.fixture
def app_role(postgres_admin: sa.Engine, postgres_url: str) -> Iterator[str]:
    """A login role of its own, dropped with whatever it was granted once the test is over."""
    role = f"capeval_app_{uuid.uuid4().hex[:10]}"
    with postgres_admin.connect() as connection:
        connection.execute(sa.text(f"CREATE ROLE {role} LOGIN"))
    yield role
    database = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with database.connect() as connection:
        connection.execute(sa.text(f"DROP OWNED BY {role}"))
    database.dispose()
    with postgres_admin.connect() as connection:
        connection.execute(sa.text(f"DROP ROLE IF EXISTS {role}"))


def as_role(url: str, role: str) -> str:
    return sa.make_url(url).set(username=role, password=None).render_as_string(hide_password=False)


def refusal(runtime: Runtime, statement: str) -> DomainError:
    with pytest.raises(DomainError) as caught, runtime.engine.begin() as connection:
        connection.execute(sa.text(statement))
    return caught.value


def test_grants_give_the_history_tables_read_and_append_only(postgres_url: str, app_role: str) -> None:
    new_runtime(postgres_url).engine.dispose()
    printed = capeval(postgres_url, "db", "grants", "--role", app_role)
    assert printed.exit_code == 0, printed.output
    lines = printed.output.splitlines()
    for table in HISTORY_TABLES:
        assert f'GRANT SELECT, INSERT ON TABLE "{table}" TO {app_role};' in lines
    assert f'GRANT SELECT ON TABLE "alembic_version" TO {app_role};' in lines
    assert f'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "application" TO {app_role};' in lines
    assert f'GRANT USAGE ON SEQUENCE "stage_history_id_seq" TO {app_role};' in lines
    assert not any("TRUNCATE" in line or line.startswith("GRANT ALL") for line in lines)
    with sa.create_engine(postgres_url).connect() as connection:  # printing grants nothing
        privileges = "SELECT count(*) FROM information_schema.role_table_grants WHERE grantee = :role"
        assert connection.execute(sa.text(privileges), {"role": app_role}).scalar_one() == 0


def test_the_application_runs_as_a_role_that_cannot_rewrite_history(postgres_url: str, app_role: str) -> None:
    owner = new_runtime(postgres_url)
    applied = capeval(postgres_url, "db", "grants", "--role", app_role, "--apply")
    assert applied.exit_code == 0, applied.output

    settings = Settings.load(database_url=as_role(postgres_url, app_role), id_key=TEST_ID_KEY)
    app = bootstrap(settings, clock=FixedClock(at("2026-01-05")))
    with app.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT current_user")).scalar_one() == app_role
    every_history(app)  # directory, cases, review, interview-free registration, certificate, feedback, outbox
    assert capeval(as_role(postgres_url, app_role), "db", "verify").exit_code == 0

    for table in HISTORY_TABLES:
        for statement in (f"UPDATE {table} SET actor = 'x'", f"DELETE FROM {table}", f"TRUNCATE {table}"):
            assert refusal(app, statement).code == "database_permission_denied", statement
        for statement in (f"ALTER TABLE {table} DISABLE TRIGGER ALL", f"DROP TRIGGER {table}_no_truncate ON {table}"):
            error = refusal(app, statement)
            assert error.code == "database_permission_denied" and "must be owner" in str(error), statement

    for table in HISTORY_TABLES:  # the owner lifts the triggers: the role's privileges still refuse
        with owner.engine.begin() as connection:
            connection.execute(sa.text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        for statement in (f"UPDATE {table} SET actor = 'x'", f"DELETE FROM {table}", f"TRUNCATE {table}"):
            assert refusal(app, statement).code == "database_permission_denied", statement
    verified = capeval(as_role(postgres_url, app_role), "db", "verify")
    assert verified.exit_code == 2 and "stage_history is not protected" in verified.output
    app.engine.dispose()
    owner.engine.dispose()


def test_grants_refuse_an_owner_an_unknown_role_and_sqlite(postgres_url: str, tmp_path: object) -> None:
    owner = new_runtime(postgres_url)
    with pytest.raises(InputError) as is_owner:
        role_grants(owner, "postgres")
    with pytest.raises(InputError) as unknown:
        role_grants(owner, "capeval_nobody_at_all")
    with pytest.raises(InputError) as malformed:
        role_grants(owner, "app; DROP TABLE person")
    assert [e.value.code for e in (is_owner, unknown, malformed)] == [
        "history_role_is_owner",
        "history_role_missing",
        "history_role_invalid",
    ]
    owner.engine.dispose()
    sqlite = f"sqlite:///{tmp_path}/capeval.db"
    assert capeval(sqlite, "db", "init").exit_code == 0
    refused = capeval(sqlite, "db", "grants", "--role", "capeval_app")
    assert refused.exit_code == 2 and refused.output.startswith("error: privileges of a database role are PostgreSQL's")
