"""operators' audit log, and reports settled by an operator action

Every hide, unhide and dismiss (and every sign-in and sign-out on the
operator pages) is a row in operator_actions, written with the change itself.
A report stays in the moderation queue until an action on its ad settles it
(reports.action_id); the partial index serves the queue, which reads open
reports only. Existing reports start open.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('operator_actions',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('operator', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('ad_id', sa.BigInteger(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("action IN ('hide','unhide','dismiss','sign_in','sign_out')",
                       name=op.f('ck_operator_actions_action')),
    sa.CheckConstraint("(ad_id IS NULL) = (action IN ('sign_in','sign_out'))",
                       name=op.f('ck_operator_actions_ad_id')),
    sa.ForeignKeyConstraint(['ad_id'], ['ads.id'], name=op.f('fk_operator_actions_ad_id_ads')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operator_actions'))
    )
    op.create_index('ix_operator_actions_ad_id_id', 'operator_actions', ['ad_id', 'id'], unique=False)
    op.add_column('reports', sa.Column('action_id', sa.BigInteger(), nullable=True))
    op.create_foreign_key(op.f('fk_reports_action_id_operator_actions'), 'reports', 'operator_actions',
                          ['action_id'], ['id'])
    op.create_index('ix_reports_open_ad_id', 'reports', ['ad_id'], unique=False,
                    postgresql_where=sa.text('action_id IS NULL'))


def downgrade() -> None:
    op.drop_index('ix_reports_open_ad_id', table_name='reports', postgresql_where=sa.text('action_id IS NULL'))
    op.drop_constraint(op.f('fk_reports_action_id_operator_actions'), 'reports', type_='foreignkey')
    op.drop_column('reports', 'action_id')
    op.drop_index('ix_operator_actions_ad_id_id', table_name='operator_actions')
    op.drop_table('operator_actions')
