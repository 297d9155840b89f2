"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29 09:46:56.034191
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name_ar', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('alt_names', sa.JSON(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('population', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['areas.id'], name=op.f('fk_areas_parent_id_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_areas')),
    sa.UniqueConstraint('slug', name=op.f('uq_areas_slug'))
    )
    op.create_index(op.f('ix_areas_parent_id'), 'areas', ['parent_id'], unique=False)
    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('name_ar', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['categories.id'], name=op.f('fk_categories_parent_id_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('slug', name=op.f('uq_categories_slug'))
    )
    op.create_index(op.f('ix_categories_parent_id'), 'categories', ['parent_id'], unique=False)
    op.create_table('ads',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('price_amount', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('negotiable', sa.Boolean(), nullable=False),
    sa.Column('condition', sa.String(length=8), nullable=True),
    sa.Column('contact_name', sa.String(length=80), nullable=False),
    sa.Column('contact_phone', sa.String(length=32), nullable=False),
    sa.Column('images', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.CheckConstraint("condition IS NULL OR condition IN ('new','used')", name=op.f('ck_ads_condition')),
    sa.CheckConstraint("currency IN ('SYP','USD')", name=op.f('ck_ads_currency')),
    sa.CheckConstraint("status IN ('active','expired','withdrawn','hidden')", name=op.f('ck_ads_status')),
    sa.CheckConstraint('price_amount IS NULL OR price_amount >= 0', name=op.f('ck_ads_price')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_ads_version')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_ads_area_id_areas')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_ads_category_id_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ads')),
    sa.UniqueConstraint('slug', name=op.f('uq_ads_slug'))
    )
    op.create_index(op.f('ix_ads_area_id'), 'ads', ['area_id'], unique=False)
    op.create_index(op.f('ix_ads_category_id'), 'ads', ['category_id'], unique=False)
    op.create_index('ix_ads_status_expires_at', 'ads', ['status', 'expires_at'], unique=False)
    op.create_table('outbox',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('ad_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['ad_id'], ['ads.id'], name=op.f('fk_outbox_ad_id_ads')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox'))
    )
    op.create_index(op.f('ix_outbox_ad_id'), 'outbox', ['ad_id'], unique=False)
    op.create_table('reports',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('ad_id', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['ad_id'], ['ads.id'], name=op.f('fk_reports_ad_id_ads')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports'))
    )
    op.create_index(op.f('ix_reports_ad_id'), 'reports', ['ad_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_reports_ad_id'), table_name='reports')
    op.drop_table('reports')
    op.drop_index(op.f('ix_outbox_ad_id'), table_name='outbox')
    op.drop_table('outbox')
    op.drop_index('ix_ads_status_expires_at', table_name='ads')
    op.drop_index(op.f('ix_ads_category_id'), table_name='ads')
    op.drop_index(op.f('ix_ads_area_id'), table_name='ads')
    op.drop_table('ads')
    op.drop_index(op.f('ix_categories_parent_id'), table_name='categories')
    op.drop_table('categories')
    op.drop_index(op.f('ix_areas_parent_id'), table_name='areas')
    op.drop_table('areas')
