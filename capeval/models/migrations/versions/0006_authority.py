"""authority: usernames, staff roles (the workgroup among them), committee rosters and the person behind every history line

Revision ID: 0006_authority
Revises: 0005_governance
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0006_authority"
down_revision = "0005_governance"
branch_labels = None
depends_on = None

HISTORIES = ("stage_history", "certificate_history", "review_task_event", "governance_history")


def _usernames(rows: list[tuple[int, str]]) -> dict[int, str]:
    """A unique username per existing person, from the local part of the email (as the loader derives it)."""
    taken: set[str] = set()
    chosen: dict[int, str] = {}
    for person_id, email in rows:
        base = re.sub(r"[^a-z0-9._-]+", "-", (email or "").split("@")[0].lower()).strip("-._") or f"person-{person_id}"
        name, serial = base, 1
        while name in taken:
            serial += 1
            name = f"{base}-{serial}"
        taken.add(name)
        chosen[person_id] = name
    return chosen


def upgrade() -> None:
    op.create_table(
        "committee_seat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.String(length=20), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_committee_seat_body", "committee_seat", ["body", "starts_on"], unique=False)
    op.create_index(op.f("ix_committee_seat_person_id"), "committee_seat", ["person_id"], unique=False)
    op.create_table(
        "staff_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("society_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["society_id"], ["society.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "role", "society_id"),
    )
    op.create_index(op.f("ix_staff_assignment_person_id"), "staff_assignment", ["person_id"], unique=False)
    op.execute(
        "INSERT INTO staff_assignment (person_id, role, society_id) "
        "SELECT person_id, 'workgroup', society_id FROM workgroup_member"
    )
    with op.batch_alter_table("workgroup_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workgroup_member_society_id"))
    op.drop_table("workgroup_member")
    for table in HISTORIES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("actor_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(f"fk_{table}_actor_id_person", "person", ["actor_id"], ["id"])
    _keep_stage_history_append_only()
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("username", sa.String(length=60), nullable=True))
    connection = op.get_bind()
    rows = [(int(r[0]), str(r[1])) for r in connection.execute(sa.text("SELECT id, email FROM person ORDER BY id"))]
    for person_id, username in _usernames(rows).items():
        connection.execute(
            sa.text("UPDATE person SET username = :username WHERE id = :id"), {"username": username, "id": person_id}
        )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.alter_column("username", existing_type=sa.String(length=60), nullable=False)
        batch_op.create_unique_constraint("uq_person_username", ["username"])
        batch_op.create_index(batch_op.f("ix_person_name"), ["name"], unique=False)


def _keep_stage_history_append_only() -> None:
    """SQLite rebuilt stage_history to add the column, dropping its triggers: put them back (0001)."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER IF NOT EXISTS stage_history_no_{event.lower()} BEFORE {event} ON stage_history "
            "BEGIN SELECT RAISE(ABORT, 'stage_history is append-only'); END"
        )


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_name"))
        batch_op.drop_constraint("uq_person_username", type_="unique")
        batch_op.drop_column("username")
    for table in HISTORIES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_actor_id_person", type_="foreignkey")
            batch_op.drop_column("actor_id")
    _keep_stage_history_append_only()
    op.create_table(
        "workgroup_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("society_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["society_id"], ["society.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "society_id"),
    )
    with op.batch_alter_table("workgroup_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workgroup_member_society_id"), ["society_id"], unique=False)
    op.execute(
        "INSERT INTO workgroup_member (person_id, society_id) "
        "SELECT person_id, society_id FROM staff_assignment WHERE role = 'workgroup'"
    )
    op.drop_index(op.f("ix_staff_assignment_person_id"), table_name="staff_assignment")
    op.drop_table("staff_assignment")
    op.drop_index(op.f("ix_committee_seat_person_id"), table_name="committee_seat")
    op.drop_index("ix_committee_seat_body", table_name="committee_seat")
    op.drop_table("committee_seat")
