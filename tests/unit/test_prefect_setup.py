"""Flow runs against a plain-http API on this machine skip the TLS and CSRF work; any other API is left alone."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from capeval.flows.prefect_setup import fast_flow_runs, plain_loopback


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (None, True),
        ("http://127.0.0.1:4200/api", True),
        ("http://localhost:4200/api", True),
        ("https://127.0.0.1:4200/api", False),
        ("http://prefect.example.org/api", False),
        ("http://127.0.0.1.example.org/api", False),
    ],
)
def test_only_plain_http_on_this_machine_counts_as_loopback(url: str | None, expected: bool) -> None:
    assert plain_loopback(url) is expected


def test_a_loopback_api_gets_a_one_certificate_ca_file_and_no_csrf_token() -> None:
    from prefect.settings import (
        PREFECT_API_SSL_CERT_FILE,
        PREFECT_API_URL,
        PREFECT_CLIENT_CSRF_SUPPORT_ENABLED,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        temporary_settings,
    )

    with temporary_settings({PREFECT_API_URL: "http://127.0.0.1:4200/api"}), fast_flow_runs():
        ca_file = Path(str(PREFECT_API_SSL_CERT_FILE.value()))
        assert ca_file.read_text(encoding="ascii").count("BEGIN CERTIFICATE") == 1
        assert ssl.create_default_context(cafile=str(ca_file)).cert_store_stats()["x509_ca"] == 1
        assert PREFECT_CLIENT_CSRF_SUPPORT_ENABLED.value() is False
        assert PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value() is None
    assert not ca_file.exists()


def test_another_api_keeps_its_tls_and_csrf_settings() -> None:
    from prefect.settings import (
        PREFECT_API_SSL_CERT_FILE,
        PREFECT_API_URL,
        PREFECT_CLIENT_CSRF_SUPPORT_ENABLED,
        temporary_settings,
    )

    with temporary_settings({PREFECT_API_URL: "https://prefect.example.org/api"}):
        before = (PREFECT_API_SSL_CERT_FILE.value(), PREFECT_CLIENT_CSRF_SUPPORT_ENABLED.value())
        with fast_flow_runs():
            assert (PREFECT_API_SSL_CERT_FILE.value(), PREFECT_CLIENT_CSRF_SUPPORT_ENABLED.value()) == before
