"""Console accounts: password hashes, server-side sessions, API tokens and login attempts.

Only digests of session and API tokens are stored; the token itself lives in the visitor's cookie or the
integrator's configuration. A password is stored as its argon2 hash alone.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .types import AwareDateTime


class WebAccount(SQLModel, table=True):
    """The password of a person who may sign in to the console."""

    __tablename__ = "web_account"

    person_id: int = Field(primary_key=True, foreign_key="person.id")
    password_hash: str = Field(max_length=200)
    changed_at: datetime = Field(sa_type=AwareDateTime)


class WebSession(SQLModel, table=True):
    """One signed-in browser: ended by logout, by expiry or by a password change."""

    __tablename__ = "web_session"

    id: int | None = Field(default=None, primary_key=True)
    token_digest: str = Field(max_length=64, unique=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    csrf_token: str = Field(max_length=64)
    created_at: datetime = Field(sa_type=AwareDateTime)
    last_seen_at: datetime = Field(sa_type=AwareDateTime)
    expires_at: datetime = Field(sa_type=AwareDateTime, index=True)
    ended_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class ApiToken(SQLModel, table=True):
    """A bearer token of the HTTP API: short-lived from `/api/token`, or long-lived issued by an administrator."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    token_digest: str = Field(max_length=64, unique=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    label: str = Field(default="", max_length=100)
    issued_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(sa_type=AwareDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class LoginAttempt(SQLModel, table=True):
    """A failed sign-in, counted per username and client address to throttle guessing."""

    __tablename__ = "login_attempt"
    __table_args__ = (sa.Index("ix_login_attempt_key_at", "throttle_key", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    throttle_key: str = Field(max_length=200)
    at: datetime = Field(sa_type=AwareDateTime)
