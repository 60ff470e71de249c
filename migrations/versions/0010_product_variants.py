"""Variants: up to two option kinds per listing (e.g. size, colour) and one variant per
combination with its own stock and optional price; cart and order lines name their variant.

Every existing listing gets its one implicit variant holding all its stock, and every cart and
order line is pointed at it, so nothing is lost.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

IMPLICIT_VARIANT = (
    "(SELECT v.id FROM product_variants v WHERE v.product_id = {table}.product_id"
    " AND v.option1 = '' AND v.option2 = '')"
)


def upgrade():
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("option1_name", sa.String(length=40), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("option2_name", sa.String(length=40), nullable=False, server_default="")
        )

    op.create_table(
        "product_variants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("option1", sa.String(length=40), nullable=False),
        sa.Column("option2", sa.String(length=40), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=True),
        sa.Column("stock_quantity", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "price IS NULL OR price > 0", name=op.f("ck_product_variants_price_positive")
        ),
        sa.CheckConstraint(
            "stock_quantity >= 0", name=op.f("ck_product_variants_stock_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name=op.f("fk_product_variants_product_id_products"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_variants")),
        sa.UniqueConstraint("product_id", "option1", "option2", name="one_per_combination"),
    )
    with op.batch_alter_table("product_variants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_product_variants_product_id"), ["product_id"], unique=False
        )
    op.execute(
        "INSERT INTO product_variants"
        " (product_id, option1, option2, price, stock_quantity, position, is_active)"
        " SELECT id, '', '', NULL, stock_quantity, 0, true FROM products"
    )

    with op.batch_alter_table("cart_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("variant_id", sa.Integer(), nullable=True))
    op.execute(f"UPDATE cart_lines SET variant_id = {IMPLICIT_VARIANT.format(table='cart_lines')}")
    with op.batch_alter_table("cart_lines", schema=None) as batch_op:
        batch_op.alter_column("variant_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint("one_line_per_listing", type_="unique")
        batch_op.create_index(batch_op.f("ix_cart_lines_variant_id"), ["variant_id"], unique=False)
        batch_op.create_unique_constraint("one_line_per_variant", ["cart_id", "variant_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_cart_lines_variant_id_product_variants"),
            "product_variants",
            ["variant_id"],
            ["id"],
            ondelete="CASCADE",
        )

    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("variant_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("variant_label", sa.String(length=90), nullable=False, server_default="")
        )
    op.execute(
        f"UPDATE order_lines SET variant_id = {IMPLICIT_VARIANT.format(table='order_lines')}"
    )
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.alter_column("variant_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f("ix_order_lines_variant_id"), ["variant_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_order_lines_variant_id_product_variants"),
            "product_variants",
            ["variant_id"],
            ["id"],
            ondelete="RESTRICT",
        )


def downgrade():
    # A listing's stock goes back to being the sum of its offered variants'.
    op.execute(
        "UPDATE products SET stock_quantity = (SELECT COALESCE(SUM(v.stock_quantity), 0)"
        " FROM product_variants v WHERE v.product_id = products.id AND v.is_active)"
    )
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_order_lines_variant_id_product_variants"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_order_lines_variant_id"))
        batch_op.drop_column("variant_label")
        batch_op.drop_column("variant_id")

    # Lines of two variants of one listing become one line (the first one kept).
    op.execute(
        "DELETE FROM cart_lines WHERE id NOT IN"
        " (SELECT MIN(id) FROM cart_lines GROUP BY cart_id, product_id)"
    )
    with op.batch_alter_table("cart_lines", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_cart_lines_variant_id_product_variants"), type_="foreignkey"
        )
        batch_op.drop_constraint("one_line_per_variant", type_="unique")
        batch_op.drop_index(batch_op.f("ix_cart_lines_variant_id"))
        batch_op.create_unique_constraint("one_line_per_listing", ["cart_id", "product_id"])
        batch_op.drop_column("variant_id")

    with op.batch_alter_table("product_variants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_variants_product_id"))
    op.drop_table("product_variants")

    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_column("option2_name")
        batch_op.drop_column("option1_name")
