"""Prefect settings capeval runs its flows under."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any
from urllib.parse import urlsplit

EPHEMERAL_STARTUP_SECONDS = 180
"""A fresh ephemeral server migrates its database first; Prefect's default 20 s is too tight on a busy machine."""

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
PEM_CERTIFICATE = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----\n?", re.DOTALL)


def prepare_environment(prefect_home: Path | None = None) -> None:
    """Set Prefect's environment before it is imported: no analytics; a private home if one is given."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(EPHEMERAL_STARTUP_SECONDS))
    if prefect_home is not None:
        prefect_home.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("PREFECT_HOME", str(prefect_home))


@contextmanager
def fast_flow_runs() -> Iterator[None]:
    """Run flows without the heartbeat thread (about a second per sync flow run) and, against a plain-http
    server on this machine, without the client work only TLS or CSRF protection need.

    Prefect opens an API client per flow run and builds it a verifying TLS context from the whole CA bundle
    (30-50 ms), even for an `http://` URL, where no TLS is spoken; then it asks for a CSRF token, which a
    server that does not enforce CSRF protection never checks. For a loopback `http://` API (the temporary
    server of `ephemeral.temporary_api`, or Prefect's own, which is that too) the CA file is a single
    certificate and the token is not asked for; any other API is left as configured.
    """
    from prefect.settings import (
        PREFECT_API_SSL_CERT_FILE,
        PREFECT_API_URL,
        PREFECT_CLIENT_CSRF_SUPPORT_ENABLED,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED,
        temporary_settings,
    )

    updates: dict[Any, Any] = {PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
    with ExitStack() as stack:
        if plain_loopback(PREFECT_API_URL.value()):
            folder = Path(stack.enter_context(TemporaryDirectory(prefix="capeval-prefect-")))
            certificate = _one_certificate(folder)
            if certificate is not None:
                updates[PREFECT_API_SSL_CERT_FILE] = str(certificate)
            if not PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED.value():
                updates[PREFECT_CLIENT_CSRF_SUPPORT_ENABLED] = False
        stack.enter_context(temporary_settings(updates))
        yield


def plain_loopback(api_url: str | None) -> bool:
    """Whether flows talk to a Prefect API over plain HTTP on this machine (None: Prefect's own temporary one)."""
    if api_url is None:
        return True
    parts = urlsplit(api_url)
    return parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS


def _one_certificate(folder: Path) -> Path | None:
    """A CA file in `folder` with the first certificate of certifi's bundle alone (None if there is none)."""
    import certifi

    found = PEM_CERTIFICATE.search(Path(certifi.where()).read_text(encoding="ascii"))
    if found is None:
        return None
    path = folder / "loopback-ca.pem"
    path.write_text(found.group(0), encoding="ascii")
    return path
