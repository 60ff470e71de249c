"""Online payments: a payment keeps the provider's transaction id and the card as the gateway
shows it, a lease while it is being verified, a note, and when it was refunded ("refunded"
joins its statuses); an order can be flagged for an admin.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

OLD_STATUSES = ("pending", "captured", "failed", "cancelled")
NEW_STATUSES = (*OLD_STATUSES, "refunded")


def _status(values):
    return sa.Enum(
        *values, name="paymentstatus", native_enum=False, create_constraint=True, length=24
    )


def _allow(values) -> None:
    """The status column's CHECK lists ``values``."""
    if op.get_bind().dialect.name == "sqlite":  # a CHECK changes by rebuilding the table
        with op.batch_alter_table("payments", schema=None, recreate="always") as batch_op:
            batch_op.drop_constraint(op.f("ck_payments_paymentstatus"), type_="check")
            batch_op.alter_column("status", existing_type=sa.String(24), type_=_status(values))
        return
    allowed = ", ".join(f"'{value}'" for value in values)
    op.execute("ALTER TABLE payments DROP CONSTRAINT IF EXISTS ck_payments_paymentstatus")
    op.execute(
        f"ALTER TABLE payments ADD CONSTRAINT ck_payments_paymentstatus CHECK (status IN ({allowed}))"
    )


def upgrade():
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("flagged", sa.String(length=200), nullable=False, server_default="")
        )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        for name, length in (("transaction_id", 64), ("card_pan", 32), ("card_hash", 128)):
            batch_op.add_column(
                sa.Column(name, sa.String(length=length), nullable=False, server_default="")
            )
        batch_op.add_column(
            sa.Column("verifying_until", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("note", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=True))
    _allow(NEW_STATUSES)


def downgrade():
    op.execute("UPDATE payments SET status = 'captured' WHERE status = 'refunded'")
    _allow(OLD_STATUSES)
    with op.batch_alter_table("payments", schema=None) as batch_op:
        for name in (
            "refunded_at",
            "note",
            "verifying_until",
            "card_hash",
            "card_pan",
            "transaction_id",
        ):
            batch_op.drop_column(name)
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("flagged")
