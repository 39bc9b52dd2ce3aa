"""`role_grants`: the privileges of a PostgreSQL role the application connects as, printed or applied."""

from __future__ import annotations

from capeval.models.database import shown_url
from capeval.models.grants import apply_grants, grant_statements
from capeval.states.errors import InputError

from .runtime import Runtime


def role_grants(runtime: Runtime, role: str, *, apply: bool = False) -> list[str]:
    """The statements giving `role` what the application needs and no more (`models.grants`); with `apply`
    they are run in one transaction by the role the runtime connects as, which must own the tables."""
    engine = runtime.engine
    if engine.dialect.name != "postgresql":
        raise InputError("history_grants_need_postgresql", url=shown_url(runtime.settings.database_url))
    with engine.begin() as connection:
        return apply_grants(connection, role) if apply else grant_statements(connection, role)
