"""certificates

Revision ID: 0003_certificates
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003_certificates'
down_revision = "0002_review"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cpd_activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('attributes', sa.JSON(), nullable=False),
    sa.Column('evidence_reference', sa.String(length=500), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('cpd_activity', schema=None) as batch_op:
        batch_op.create_index('ix_cpd_activity_person_year', ['person_id', 'year'], unique=False)

    op.create_table('registration_counter',
    sa.Column('society_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_sequence', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], ),
    sa.PrimaryKeyConstraint('society_id', 'year')
    )
    op.create_table('society_cpd_policy',
    sa.Column('society_id', sa.Integer(), nullable=False),
    sa.Column('policy', sa.String(length=20), nullable=False),
    sa.Column('chosen_by', sa.String(length=100), nullable=False),
    sa.Column('chosen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['society_id'], ['society.id'], ),
    sa.PrimaryKeyConstraint('society_id')
    )
    op.create_table('certificate_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('certificate_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_history_certificate_id'), ['certificate_id'], unique=False)
        batch_op.create_index('ix_certificate_history_effective_on', ['effective_on'], unique=False)

    op.create_table('cpd_exemption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('evidence_reference', sa.String(length=500), nullable=False),
    sa.Column('granted_by', sa.String(length=100), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificate.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('certificate_id', 'year')
    )
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('international_title_issuer', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('international_title_expires_on', sa.Date(), nullable=True))

    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('renewals', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('superseded_by', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('next_reminder_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('cpd_check_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('renewal_requested_on', sa.Date(), nullable=True))
        batch_op.create_index('ix_certificate_cpd_check_on', ['cpd_check_on'], unique=False)
        batch_op.create_index('ix_certificate_next_reminder_on', ['next_reminder_on'], unique=False)
        batch_op.create_index('ix_certificate_status_expires', ['status', 'expires_on'], unique=False)

    _seed_counters()


def _seed_counters() -> None:
    """Start each society's yearly counter after the highest sequence already issued, so no number repeats."""
    connection = op.get_bind()
    rows = connection.execute(sa.text('SELECT society_id, registration_number FROM certificate')).all()
    highest: dict[tuple[int, int], int] = {}
    for society_id, number in rows:
        parts = number.rsplit('-', 2)
        if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
            key = (society_id, int(parts[1]))
            highest[key] = max(highest.get(key, 0), int(parts[2]))
    counters = sa.table('registration_counter', sa.column('society_id'), sa.column('year'), sa.column('last_sequence'))
    if highest:
        op.bulk_insert(counters, [{'society_id': s, 'year': y, 'last_sequence': n} for (s, y), n in highest.items()])


def downgrade() -> None:
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index('ix_certificate_status_expires')
        batch_op.drop_index('ix_certificate_next_reminder_on')
        batch_op.drop_index('ix_certificate_cpd_check_on')
        batch_op.drop_column('renewal_requested_on')
        batch_op.drop_column('cpd_check_on')
        batch_op.drop_column('next_reminder_on')
        batch_op.drop_column('superseded_by')
        batch_op.drop_column('renewals')

    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('international_title_expires_on')
        batch_op.drop_column('international_title_issuer')

    op.drop_table('cpd_exemption')
    with op.batch_alter_table('certificate_history', schema=None) as batch_op:
        batch_op.drop_index('ix_certificate_history_effective_on')
        batch_op.drop_index(batch_op.f('ix_certificate_history_certificate_id'))

    op.drop_table('certificate_history')
    op.drop_table('society_cpd_policy')
    op.drop_table('registration_counter')
    with op.batch_alter_table('cpd_activity', schema=None) as batch_op:
        batch_op.drop_index('ix_cpd_activity_person_year')

    op.drop_table('cpd_activity')
