"""Messages to people, written in the same transaction as the change that caused them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .types import AwareDateTime


class OutboxMessage(SQLModel, table=True):
    """One message to send; `dedupe_key` makes every message exist, and so be sent, once.

    `status` is pending, sending (claimed: `next_attempt_at` is then the end of the claim's lease), sent or
    dead (dead-lettered after the last attempt, waiting for an operator).
    """

    __tablename__ = "outbox_message"
    __table_args__ = (sa.Index("ix_outbox_status_next", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(max_length=200, unique=True)
    template: str = Field(max_length=100)
    recipient_name: str = Field(max_length=100)
    recipient_email: str = Field(max_length=200)
    language: str = Field(default="zh-CN", max_length=10)
    context: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    application_id: int | None = Field(default=None, foreign_key="application.id", index=True)
    status: str = Field(default="pending", max_length=20)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=AwareDateTime)
    created_at: datetime = Field(sa_type=AwareDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    last_error: str = Field(default="", sa_type=sa.Text)
    claim_token: str | None = Field(default=None, max_length=40)
    last_attempt_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
