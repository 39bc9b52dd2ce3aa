"""The app's edge: every answer carries its server time; a NUL in the path or query is refused first."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ..runtimes import new_runtime
from .support import app_client


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """SQLite only: the edge answers before any page or endpoint reaches the database, so the backend plays
    no part in what these tests check."""
    folder: Path = tmp_path_factory.mktemp("edge")
    runtime = new_runtime(f"sqlite:///{folder / 'capeval.db'}")
    with app_client(runtime) as client:
        yield client
    runtime.engine.dispose()


@pytest.mark.parametrize("path", ["/login", "/api/openapi.json", "/no-such-page"])
def test_every_answer_carries_the_apps_time_in_server_timing(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert re.fullmatch(r"app;dur=\d+\.\d\d", answer.headers["server-timing"]), answer.headers


def test_a_nul_in_a_page_query_is_refused_with_the_coded_422(client: TestClient) -> None:
    answer = client.get("/login?next=%00")
    assert answer.status_code == 422
    assert "text/html" in answer.headers["content-type"]
    assert "server-timing" in answer.headers


def test_a_nul_in_an_api_query_is_refused_with_problem_details(client: TestClient) -> None:
    answer = client.get("/api/v1/cases?society=%00")
    assert answer.status_code == 422
    assert answer.json()["code"] == "web_text_nul"
