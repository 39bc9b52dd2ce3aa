"""Console accounts: passwords (argon2), server-side sessions, API tokens and login throttling.

A session or API token is a random secret handed to the visitor once; only its SHA-256 digest is stored,
so a copy of the database signs nobody in. A session ends at logout, at its expiry, or when its person
changes their password. Failed sign-ins are counted per username and client address; past the limit
in the window, even the right password is refused until the window has passed.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from capeval.models import ApiToken, LoginAttempt, Person, WebAccount, WebSession
from capeval.models.marks import SIMULATION
from capeval.models.unit_of_work import UnitOfWork
from capeval.states.authority import StaffRole
from capeval.states.errors import InputError, NotPermitted

from .authority import is_staff, person_acting
from .operators import check_operator
from .runtime import Runtime

MIN_PASSWORD_LENGTH = 10
"""The shortest password accepted (characters)."""
MAX_PASSWORD_LENGTH = 200
"""The longest password accepted (characters)."""
_HASHER = PasswordHasher()


@dataclass(frozen=True)
class SignedIn:
    """Who a session or token belongs to, and the session's CSRF token ('' for an API token)."""

    person_id: int
    username: str
    name: str
    language: str
    csrf_token: str
    expires_at: datetime | None


@dataclass(frozen=True)
class NewSession:
    """A session just opened: the secret for the cookie and who it is."""

    token: str
    who: SignedIn


def digest(token: str) -> str:
    """The stored form of a session or API token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def checked_password(password: str) -> str:
    """`password` if it is long enough and not too long; else an InputError saying what is wrong."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError("account_password_short", minimum=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InputError("account_password_long", maximum=MAX_PASSWORD_LENGTH)
    return password


def set_password(runtime: Runtime, username: str, password: str) -> str:
    """Give the person `username` names this console password (an operator's step); returns the username.

    Every session of that person ends."""
    checked = checked_password(password)
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        return _set_password(uow, username, checked, now)


def set_password_as(runtime: Runtime, username: str, password: str, actor: str | None) -> str:
    """`set_password` by the federation administrator `actor`; without one only while the database holds no
    administrator yet (a fresh installation's first password). A refusal changes nothing."""
    checked = checked_password(password)
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        check_operator(uow, actor)
        return _set_password(uow, username, checked, now)


def _set_password(uow: UnitOfWork, username: str, checked: str, now: datetime) -> str:
    person = person_acting(uow, username)
    _store_password(uow, person, checked, now)
    uow.commit()
    return person.username


def change_password(runtime: Runtime, person_id: int, current: str, new: str, keep_token: str | None = None) -> None:
    """The person changes their own password, giving the current one; their other sessions end."""
    checked = checked_password(new)
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        person = uow.directory.person(person_id)
        account = uow.accounts.account(person_id)
        if person is None or account is None or not _verified(account.password_hash, current):
            raise InputError("account_current_password_wrong")
        _store_password(uow, person, checked, now, keep=digest(keep_token) if keep_token else None)
        uow.commit()


def _store_password(uow: UnitOfWork, person: Person, password: str, now: datetime, keep: str | None = None) -> None:
    assert person.id is not None
    account = uow.accounts.account(person.id)
    hashed = _HASHER.hash(password)
    if account is None:
        uow.accounts.add(WebAccount(person_id=person.id, password_hash=hashed, changed_at=now))
    else:
        account.password_hash = hashed
        account.changed_at = now
    for session in uow.accounts.open_sessions(person.id):
        if session.token_digest != keep:
            session.ended_at = now


def _verified(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def _throttle_key(username: str, client: str) -> str:
    return f"{username.strip().lower()}|{client}"[:200]


def _authenticate(uow: UnitOfWork, runtime: Runtime, username: str, password: str, client: str) -> Person:
    """The person whose password this is, or InputError; failures are counted and throttled."""
    now = runtime.clock.now()
    settings = runtime.settings
    key = _throttle_key(username, client)
    since = now - timedelta(minutes=settings.web_login_window_minutes)
    if uow.accounts.failures_since(key, since) >= settings.web_login_attempts:
        raise NotPermitted("account_login_throttled", minutes=settings.web_login_window_minutes)
    person = uow.directory.person_by_username(username.strip())
    account = uow.accounts.account(person.id) if person is not None and person.id is not None else None
    if person is None or account is None or not _verified(account.password_hash, password):
        uow.accounts.add(LoginAttempt(throttle_key=key, at=now))
        uow.commit()
        raise InputError("account_login_failed")
    uow.accounts.clear_failures(key)
    return person


def _signed_in(person: Person, csrf: str, expires_at: datetime | None) -> SignedIn:
    assert person.id is not None
    return SignedIn(person.id, person.username, person.name, person.language, csrf, expires_at)


def log_in(runtime: Runtime, username: str, password: str, client: str) -> NewSession:
    """Open a session for the right username and password (throttled per username and address)."""
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        person = _authenticate(uow, runtime, username, password, client)
        assert person.id is not None
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        expires = now + timedelta(minutes=runtime.settings.web_session_minutes)
        uow.accounts.add(
            WebSession(
                token_digest=digest(token),
                person_id=person.id,
                csrf_token=csrf,
                created_at=now,
                last_seen_at=now,
                expires_at=expires,
            )
        )
        uow.commit()
        return NewSession(token, _signed_in(person, csrf, expires))


LAST_SEEN_STEP = timedelta(minutes=1)
"""A session's last-seen time is noted to the minute: a page view within a minute of the last writes nothing,
so concurrent page views read only."""


def session_of(runtime: Runtime, token: str) -> SignedIn:
    """Who the session `token` belongs to (its last-seen time noted, to the minute); NotPermitted when it
    ended or expired."""
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        found = uow.accounts.session_by_digest(digest(token))
        if found is None:
            raise NotPermitted("account_session_missing")
        session, person = found
        assert session.id is not None
        stale = open_session_seen(session.ended_at, session.expires_at, session.last_seen_at, now)
    if stale:
        note_seen(runtime, session.id, now)
    return _signed_in(person, session.csrf_token, session.expires_at)


def open_session_seen(ended_at: datetime | None, expires_at: datetime, last_seen_at: datetime, now: datetime) -> bool:
    """Whether a session seen `now` should note it (its last-seen time is a minute old or more);
    NotPermitted when it ended or expired."""
    if ended_at is not None:
        raise NotPermitted("account_session_missing")
    if expires_at <= now:
        raise NotPermitted("account_session_expired")
    return now - last_seen_at >= LAST_SEEN_STEP


def note_seen(runtime: Runtime, session_id: int, now: datetime) -> None:
    """Write that the session `session_id` was seen `now`."""
    with runtime.unit_of_work() as uow:
        uow.accounts.note_seen(session_id, now)
        uow.commit()


def log_out(runtime: Runtime, token: str) -> None:
    """End the session `token` (nothing happens for an unknown or ended one)."""
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        found = uow.accounts.session_by_digest(digest(token))
        if found is not None and found[0].ended_at is None:
            found[0].ended_at = now
            uow.commit()


def api_token_for_login(runtime: Runtime, username: str, password: str, client: str) -> tuple[str, int]:
    """A short-lived API token for the right username and password (OAuth2 password flow); and its seconds."""
    now = runtime.clock.now()
    minutes = runtime.settings.web_api_token_minutes
    with runtime.unit_of_work() as uow:
        person = _authenticate(uow, runtime, username, password, client)
        assert person.id is not None
        token = secrets.token_urlsafe(32)
        uow.accounts.add(
            ApiToken(
                token_digest=digest(token),
                person_id=person.id,
                label="login",
                created_at=now,
                expires_at=now + timedelta(minutes=minutes),
            )
        )
        uow.commit()
        return token, minutes * 60


def issue_api_token(runtime: Runtime, username: str, actor: str, label: str = "") -> str:
    """A long-lived API token for `username`, issued by a federation administrator (`actor`)."""
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        issuer = person_acting(uow, actor)
        if not is_staff(uow, issuer, StaffRole.ADMINISTRATOR):
            raise NotPermitted("account_token_not_administrator", actor=issuer.name)
        person = person_acting(uow, username)
        assert person.id is not None
        token = secrets.token_urlsafe(32)
        uow.accounts.add(
            ApiToken(
                token_digest=digest(token),
                person_id=person.id,
                label=label.strip()[:100],
                issued_by_id=issuer.id,
                created_at=now,
            )
        )
        uow.commit()
        return token


def token_holder(runtime: Runtime, token: str) -> SignedIn:
    """Who the API token belongs to; NotPermitted when unknown, revoked or expired."""
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        found = uow.accounts.token_by_digest(digest(token))
        if found is None or found[0].revoked_at is not None:
            raise NotPermitted("account_token_invalid")
        row, person = found
        if row.expires_at is not None and row.expires_at <= now:
            raise NotPermitted("account_token_expired")
        return _signed_in(person, "", row.expires_at)


def give_everyone_a_password(runtime: Runtime, password: str) -> int:
    """Give everyone without an account this one password: the demo's, on a simulation database only.

    Returns how many accounts were made."""
    checked = checked_password(password)
    now = runtime.clock.now()
    with runtime.unit_of_work() as uow:
        if uow.marks.value(SIMULATION) is None:
            raise NotPermitted("account_shared_password_not_simulation")
        people = uow.console.people_without_account()
        hashed = _HASHER.hash(checked)
        for person in people:
            assert person.id is not None
            uow.accounts.add(WebAccount(person_id=person.id, password_hash=hashed, changed_at=now))
        uow.commit()
        return len(people)
