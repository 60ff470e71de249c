"""A parcel all of whose pieces were returned and refunded is marked returned (it stays
"delivered": it was, and its timeline says so).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("parcels", schema=None) as batch_op:
        batch_op.add_column(sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("parcels", schema=None) as batch_op:
        batch_op.drop_column("returned_at")
