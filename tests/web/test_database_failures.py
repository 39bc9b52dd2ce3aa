"""A database that cannot be reached answers 503 with one coded line, on a page and on the API alike."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from capeval.models.database import DatabaseTimeouts, make_engine
from capeval.services.runtime import Runtime
from capeval.settings import Settings
from capeval.web.app import create_app
from capeval.web.security import SESSION_COOKIE


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture(scope="module")
def unreachable() -> Iterator[TestClient]:
    url = f"postgresql+psycopg://capeval@127.0.0.1:{closed_port()}/capeval"
    settings = Settings.load(database_url=url, connect_timeout=1)
    runtime = Runtime(engine=make_engine(url, timeouts=DatabaseTimeouts(connect=1)), settings=settings)
    with TestClient(create_app(runtime), follow_redirects=False, raise_server_exceptions=True) as client:
        yield client
    runtime.engine.dispose()


def test_a_page_answers_503_with_one_line_when_the_database_is_unreachable(unreachable: TestClient) -> None:
    unreachable.cookies.set(SESSION_COOKIE, "a-session-token")
    answer = unreachable.get("/board")
    unreachable.cookies.clear()
    assert answer.status_code == 503
    assert "127.0.0.1" in answer.text
    assert "Traceback" not in answer.text and "psycopg" not in answer.text.lower()
    assert "SELECT" not in answer.text


def test_the_api_answers_503_problem_details_when_the_database_is_unreachable(unreachable: TestClient) -> None:
    answer = unreachable.get("/api/v1/cases", headers={"Authorization": "Bearer a-token"})
    assert answer.status_code == 503
    assert answer.headers["content-type"].startswith("application/problem+json")
    body = answer.json()
    assert body["code"] == "database_unreachable_at"
    assert body["title"] == "Service Unavailable"
    assert "127.0.0.1" in body["detail"] and "\n" not in body["detail"]
    assert "SELECT" not in body["detail"] and "Traceback" not in body["detail"]
