"""examiner review: employments, relations, review tasks and records, interviews; examiner load

Revision ID: 0002_review
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002_review'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('declared_relation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('examiner_person_id', sa.Integer(), nullable=False),
    sa.Column('other_person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('declared_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['examiner_person_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['other_person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('examiner_person_id', 'other_person_id', 'kind')
    )
    with op.batch_alter_table('declared_relation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_declared_relation_examiner_person_id'), ['examiner_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_declared_relation_other_person_id'), ['other_person_id'], unique=False)

    op.create_table('employment_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('employer', sa.String(length=200), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('person_id', 'employer')
    )
    with op.batch_alter_table('employment_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employment_record_person_id'), ['person_id'], unique=False)

    op.create_table('interview',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('video_link', sa.String(length=300), nullable=False),
    sa.Column('scheduled_by', sa.String(length=100), nullable=False),
    sa.Column('presentation_minutes', sa.Integer(), nullable=True),
    sa.Column('question_minutes', sa.Integer(), nullable=True),
    sa.Column('deliberation_minutes', sa.Integer(), nullable=True),
    sa.Column('short_reason', sa.Text(), nullable=False),
    sa.Column('agreed_scores', sa.JSON(), nullable=True),
    sa.Column('written_exam_score', sa.Integer(), nullable=True),
    sa.Column('total', sa.Integer(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interview_application_id'), ['application_id'], unique=False)

    op.create_table('review_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('examiner_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('assigned_by', sa.String(length=100), nullable=False),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('respond_by', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('reminded_before_due', sa.Boolean(), nullable=False),
    sa.Column('last_overdue_reminder_on', sa.Date(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], ),
    sa.ForeignKeyConstraint(['examiner_id'], ['examiner.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('application_id', 'examiner_id', 'round')
    )
    with op.batch_alter_table('review_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_task_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_task_examiner_id'), ['examiner_id'], unique=False)
        batch_op.create_index('ix_review_task_state_due_on', ['state', 'due_on'], unique=False)
        batch_op.create_index('ix_review_task_state_respond_by', ['state', 'respond_by'], unique=False)

    op.create_table('interview_panelist',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interview_id', sa.Integer(), nullable=False),
    sa.Column('examiner_id', sa.Integer(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=True),
    sa.Column('scored_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['examiner_id'], ['examiner.id'], ),
    sa.ForeignKeyConstraint(['interview_id'], ['interview.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('interview_id', 'examiner_id')
    )
    with op.batch_alter_table('interview_panelist', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interview_panelist_examiner_id'), ['examiner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interview_panelist_interview_id'), ['interview_id'], unique=False)

    op.create_table('review_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('recommendation', sa.String(length=30), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], ),
    sa.ForeignKeyConstraint(['task_id'], ['review_task.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('task_id')
    )
    with op.batch_alter_table('review_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_record_application_id'), ['application_id'], unique=False)

    op.create_table('review_task_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('from_state', sa.String(length=20), nullable=True),
    sa.Column('to_state', sa.String(length=20), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['review_task.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('review_task_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_task_event_task_id'), ['task_id'], unique=False)

    with op.batch_alter_table('examiner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('open_tasks', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('last_assigned_at', sa.DateTime(timezone=True), server_default='2000-01-01 00:00:00', nullable=False))
        batch_op.create_index('ix_examiner_load', ['society_id', 'field_code', 'active', 'open_tasks', 'last_assigned_at', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('examiner', schema=None) as batch_op:
        batch_op.drop_index('ix_examiner_load')
        batch_op.drop_column('last_assigned_at')
        batch_op.drop_column('open_tasks')
        batch_op.drop_column('active')

    with op.batch_alter_table('review_task_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_task_event_task_id'))

    op.drop_table('review_task_event')
    with op.batch_alter_table('review_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_record_application_id'))

    op.drop_table('review_record')
    with op.batch_alter_table('interview_panelist', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interview_panelist_interview_id'))
        batch_op.drop_index(batch_op.f('ix_interview_panelist_examiner_id'))

    op.drop_table('interview_panelist')
    with op.batch_alter_table('review_task', schema=None) as batch_op:
        batch_op.drop_index('ix_review_task_state_respond_by')
        batch_op.drop_index('ix_review_task_state_due_on')
        batch_op.drop_index(batch_op.f('ix_review_task_examiner_id'))
        batch_op.drop_index(batch_op.f('ix_review_task_application_id'))

    op.drop_table('review_task')
    with op.batch_alter_table('interview', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interview_application_id'))

    op.drop_table('interview')
    with op.batch_alter_table('employment_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employment_record_person_id'))

    op.drop_table('employment_record')
    with op.batch_alter_table('declared_relation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_declared_relation_other_person_id'))
        batch_op.drop_index(batch_op.f('ix_declared_relation_examiner_person_id'))

    op.drop_table('declared_relation')
