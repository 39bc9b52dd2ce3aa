"""Accounts, sessions and the register search on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from capeval.services import accounts, console, public_register
from capeval.services.accounts import SignedIn
from capeval.services.runtime import Runtime
from capeval.states.clock import FixedClock
from capeval.states.errors import InputError, NotPermitted

from ..factories import load_society

PASSWORD = "a long password"


def _console_session(runtime: Runtime, token: str) -> SignedIn:
    who, roles = console.session_viewer(runtime, token)
    assert roles == console.viewer(runtime, who.person_id)
    return who


SESSION_READS: list[Callable[[Runtime, str], SignedIn]] = [accounts.session_of, _console_session]
"""The session as the API's helpers read it, and as the console reads it with the person's roles."""


@pytest.mark.parametrize("session_of", SESSION_READS, ids=["session", "with roles"])
def test_a_session_opens_ends_at_logout_and_expires(
    runtime: Runtime, clock: FixedClock, session_of: Callable[[Runtime, str], SignedIn]
) -> None:
    load_society(runtime, [1])
    accounts.set_password(runtime, "p1", PASSWORD)
    opened = accounts.log_in(runtime, "p1", PASSWORD, "127.0.0.1")
    assert session_of(runtime, opened.token) == opened.who
    accounts.log_out(runtime, opened.token)
    with pytest.raises(NotPermitted) as ended:
        session_of(runtime, opened.token)
    assert ended.value.code == "account_session_missing"
    with pytest.raises(NotPermitted) as unknown:
        session_of(runtime, "no such token")
    assert unknown.value.code == "account_session_missing"
    later = accounts.log_in(runtime, "p1", PASSWORD, "127.0.0.1")
    clock.set(clock.now() + timedelta(minutes=runtime.settings.web_session_minutes))
    with pytest.raises(NotPermitted) as expired:
        session_of(runtime, later.token)
    assert expired.value.code == "account_session_expired"


def test_failed_sign_ins_are_throttled_per_username_and_address(runtime: Runtime) -> None:
    load_society(runtime, [1])
    accounts.set_password(runtime, "p1", PASSWORD)
    for _ in range(runtime.settings.web_login_attempts):
        with pytest.raises(InputError):
            accounts.log_in(runtime, "p1", "not the password", "10.0.0.1")
    with pytest.raises(NotPermitted):
        accounts.log_in(runtime, "p1", PASSWORD, "10.0.0.1")
    assert accounts.log_in(runtime, "p1", PASSWORD, "10.0.0.2").who.username == "p1"


def test_a_name_part_with_wildcards_matches_only_itself(runtime: Runtime) -> None:
    load_society(runtime, [1])
    assert public_register.search_register(runtime, name="%_").rows == []


def _last_seen(runtime: Runtime, token: str) -> object:
    with runtime.unit_of_work() as uow:
        found = uow.accounts.session_by_digest(accounts.digest(token))
        assert found is not None
        return found[0].last_seen_at


@pytest.mark.parametrize("session_of", SESSION_READS, ids=["session", "with roles"])
def test_a_session_notes_its_last_seen_time_to_the_minute(
    runtime: Runtime, clock: FixedClock, session_of: Callable[[Runtime, str], SignedIn]
) -> None:
    load_society(runtime, [1])
    accounts.set_password(runtime, "p1", PASSWORD)
    opened = accounts.log_in(runtime, "p1", PASSWORD, "127.0.0.1")
    signed_in_at = _last_seen(runtime, opened.token)
    clock.set(clock.now() + accounts.LAST_SEEN_STEP - timedelta(seconds=1))
    session_of(runtime, opened.token)
    assert _last_seen(runtime, opened.token) == signed_in_at
    clock.set(clock.now() + timedelta(seconds=1))
    session_of(runtime, opened.token)
    assert _last_seen(runtime, opened.token) == clock.now()
