"""Schemathesis against the API's own OpenAPI document: whatever it sends, the API answers without a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from capeval.states.clock import FixedClock
from capeval.web.app import create_app

from ..factories import at
from ..runtimes import new_runtime
from .support import PASSWORD, WORKGROUP, populate


@pytest.fixture(scope="module")
def served_app(module_database_url: str) -> Iterator[tuple[Any, dict[str, str]]]:
    runtime = new_runtime(module_database_url, clock=FixedClock(at("2026-01-05")))
    populate(runtime)
    app = create_app(runtime)
    with TestClient(app) as client:
        token = client.post("/api/token", data={"username": WORKGROUP, "password": PASSWORD}).json()["access_token"]
    yield app, {"Authorization": f"Bearer {token}"}
    runtime.engine.dispose()


def test_the_api_never_answers_with_a_server_error(served_app: tuple[Any, dict[str, str]]) -> None:
    app, auth = served_app
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 7

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def answers_without_a_server_error(case: Any) -> None:
            case.call_and_validate(headers=auth, checks=[not_a_server_error])

        answers_without_a_server_error()
