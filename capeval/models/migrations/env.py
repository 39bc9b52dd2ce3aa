"""Alembic environment: migrations run on the connection capeval hands over."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from capeval.models import load_every_table

load_every_table()
connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
