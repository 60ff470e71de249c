"""Search outbox entries name a scope: one listing, or every listing of a shop, cooperative,
centre or category (expanded when the entry is applied).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

SCOPES = ('product', 'producer', 'cooperative', 'centre', 'category')


def upgrade():
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_search_outbox_product_id')
        batch_op.alter_column('product_id', new_column_name='target_id', existing_type=sa.Integer(), existing_nullable=False)
        batch_op.add_column(sa.Column('scope', sa.Enum(*SCOPES, name='outboxscope', native_enum=False, create_constraint=True, length=24), nullable=False, server_default='product'))
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.alter_column('scope', server_default=None, existing_type=sa.String(length=24), existing_nullable=False)
        batch_op.create_index(batch_op.f('ix_search_outbox_target_id'), ['target_id'], unique=False)


def downgrade():
    # Scoped entries cannot be expressed as listings here: drop them (a reindex covers them).
    op.execute("DELETE FROM search_outbox WHERE scope <> 'product'")
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_outbox_target_id'))
        batch_op.drop_constraint(op.f('ck_search_outbox_outboxscope'), type_='check')
        batch_op.drop_column('scope')
        batch_op.alter_column('target_id', new_column_name='product_id', existing_type=sa.Integer(), existing_nullable=False)
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_search_outbox_product_id', ['product_id'], unique=False)
