"""impartiality: appointees, appellants and resolution recorders by person id; votes keyed by username

Revision ID: 0009_impartiality
Revises: 0008_cpd_integrity
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_impartiality"
down_revision = "0008_cpd_integrity"
branch_labels = None
depends_on = None

PERSON_COLUMNS = (
    ("governance_appointment", "person_id", "person_name"),
    ("appeal", "appellant_id", "appellant_name"),
    ("resolution", "recorded_by_id", "recorded_by"),
)
"""(table, the new person-id column, the text column it is filled from)."""


def _person_of(connection: sa.Connection, text: str) -> int | None:
    """The one person `text` names (a username, or a name only one person bears); None otherwise."""
    by_username = connection.execute(sa.text("SELECT id FROM person WHERE username = :text"), {"text": text}).first()
    if by_username is not None:
        return int(by_username[0])
    named = connection.execute(sa.text("SELECT id FROM person WHERE name = :text"), {"text": text}).all()
    return int(named[0][0]) if len(named) == 1 else None


def _fill_person_ids(connection: sa.Connection) -> None:
    for table, column, source in PERSON_COLUMNS:
        rows = connection.execute(sa.text(f"SELECT id, {source} FROM {table}")).all()
        for row_id, text in rows:
            person_id = _person_of(connection, str(text or "").strip())
            if person_id is not None:
                connection.execute(
                    sa.text(f"UPDATE {table} SET {column} = :person_id WHERE id = :id"),
                    {"person_id": person_id, "id": row_id},
                )


def _votes_by_username(connection: sa.Connection) -> None:
    """Key each recorded vote by the voter's username where the name recorded names one person."""
    resolution = sa.table("resolution", sa.column("id", sa.Integer), sa.column("votes", sa.JSON))
    for row_id, votes in connection.execute(sa.select(resolution.c.id, resolution.c.votes)).all():
        rekeyed: dict[str, str] = {}
        for name, vote in dict(votes or {}).items():
            person_id = _person_of(connection, name)
            username = (
                connection.execute(sa.text("SELECT username FROM person WHERE id = :id"), {"id": person_id}).scalar()
                if person_id is not None
                else None
            )
            rekeyed[str(username or name)] = vote
        connection.execute(sa.update(resolution).where(resolution.c.id == row_id).values(votes=rekeyed))


def upgrade() -> None:
    for table, column, _ in PERSON_COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
            batch_op.create_foreign_key(f"fk_{table}_{column}_person", "person", [column], ["id"])
    connection = op.get_bind()
    _fill_person_ids(connection)
    _votes_by_username(connection)


def downgrade() -> None:
    for table, column, _ in reversed(PERSON_COLUMNS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_{column}_person", type_="foreignkey")
            batch_op.drop_column(column)
