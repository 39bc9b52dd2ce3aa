"""Shared fixtures: every integration test runs on SQLite and on PostgreSQL.

PostgreSQL tests need a server (CAPEVAL_TEST_POSTGRES_URL, default the local one). Without one they skip
with the reason, except in CI (CI=true) or with CAPEVAL_REQUIRE_POSTGRES=1, where they fail instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("PREFECT_HOME", str(ROOT / ".prefect" / "test-home"))
Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

import sqlalchemy as sa  # noqa: E402

from capeval.services.runtime import Runtime  # noqa: E402
from capeval.states.clock import FixedClock  # noqa: E402

from .factories import at  # noqa: E402
from .runtimes import TEST_ID_KEY, new_runtime  # noqa: E402

os.environ["CAPEVAL_ID_KEY"] = TEST_ID_KEY  # the e2e environment's key, the one the in-process runtimes use
os.environ.pop("CAPEVAL_ID_KEY_FILE", None)

POSTGRES_ADMIN_URL = os.environ.get(
    "CAPEVAL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
POSTGRES_REQUIRED = os.environ.get("CI", "").lower() == "true" or os.environ.get("CAPEVAL_REQUIRE_POSTGRES") == "1"


def _postgres_unavailable() -> str | None:
    try:
        engine = sa.create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means: no server to test against
        return f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL} ({type(error).__name__}); CI runs these tests"
    return None


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[sa.Engine]:
    reason = _postgres_unavailable()
    if reason:
        if POSTGRES_REQUIRED:
            pytest.fail(reason)
        pytest.skip(reason)
    engine = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@contextmanager
def fresh_postgres_database(admin: sa.Engine) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database on `admin`'s server, dropped when the block ends."""
    name = f"capeval_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def postgres_url(postgres_admin: sa.Engine) -> Iterator[str]:
    with fresh_postgres_database(postgres_admin) as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'capeval.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(at("2026-01-05"))


@pytest.fixture
def runtime(database_url: str, clock: FixedClock) -> Iterator[Runtime]:
    opened = new_runtime(database_url, clock=clock)
    yield opened
    opened.engine.dispose()
