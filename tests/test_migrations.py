"""The migrations build exactly the schema the models describe, on the configured database."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text

from shop.catalog.models import Category
from shop.extensions import db


def _drop_everything():
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_upgrade_matches_models_and_seeds_categories(app):
    with app.app_context():
        _drop_everything()

        upgrade()

        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert diff == []
        slugs = set(db.session.scalars(select(Category.slug)))
        assert {
            "carpets-rugs",
            "hand-woven-carpet",
            "tableau-rug",
            "kilim",
            "fret-weaving",
            "leather",
            "resin-crafts",
            "garments",
            "other-handicrafts",
        } == slugs


def test_downgrade_removes_every_table(app):
    with app.app_context():
        _drop_everything()
        upgrade()
        db.session.remove()

        downgrade(revision="base")

        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        upgrade()  # leave a full schema for the fixture's teardown


def test_timestamps_come_back_in_utc(app, factory):
    from datetime import UTC, datetime

    user = factory.user()
    db.session.expire_all()

    created = user.created_at

    assert created.tzinfo is not None and created.utcoffset().total_seconds() == 0
    assert created <= datetime.now(UTC)


def _tree():
    rows = db.session.execute(
        select(Category.slug, Category.parent_id, Category.position, Category.name_en)
    ).all()
    slugs = {row.slug: row for row in rows}
    by_id = {c.id: c.slug for c in db.session.scalars(select(Category))}
    return {
        row.slug: (by_id.get(row.parent_id), row.position, row.name_en) for row in slugs.values()
    }


def test_the_migrated_tree_is_the_seeded_tree(app):
    from shop.catalog.seed import CATEGORY_TREE

    expected = {}
    for position, (slug, _fa, name_en, children) in enumerate(CATEGORY_TREE):
        expected[slug] = (None, position, name_en)
        for child_position, (child, _child_fa, child_en) in enumerate(children):
            expected[child] = (slug, child_position, child_en)

    with app.app_context():
        assert _tree() == expected


def test_fret_weaving_moves_out_of_carpets_and_its_listings_are_reindexed(app):
    from shop.search.models import OutboxScope, SearchOutboxEntry

    with app.app_context():
        _drop_everything()
        upgrade(revision="0003")
        assert _tree()["fret-weaving"][0] == "carpets-rugs"

        upgrade(revision="0004")

        db.session.expire_all()
        tree = _tree()
        assert tree["fret-weaving"] == (None, 2, "Fret-woven bags & home goods")
        assert [
            slug for slug, row in sorted(tree.items(), key=lambda i: i[1][1]) if row[0] is None
        ] == [
            "carpets-rugs",
            "leather",
            "fret-weaving",
            "resin-crafts",
            "garments",
            "other-handicrafts",
        ]
        fret_id = db.session.scalar(select(Category.id).where(Category.slug == "fret-weaving"))
        entries = db.session.execute(select(SearchOutboxEntry.scope, SearchOutboxEntry.target_id))
        assert list(entries) == [(OutboxScope.CATEGORY, fret_id)]

        downgrade(revision="0003")
        db.session.expire_all()
        assert _tree()["fret-weaving"] == ("carpets-rugs", 3, "Fret weaving")
        assert _tree()["other-handicrafts"][1] == 4
        db.session.remove()
        upgrade()


def test_listings_waiting_for_review_at_upgrade_get_revision_one(app):
    from datetime import UTC, datetime

    now = datetime.now(UTC)

    def insert(connection, table, **values):
        columns = ", ".join(values)
        marks = ", ".join(f":{name}" for name in values)
        connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), values)  # noqa: S608

    with app.app_context():
        _drop_everything()
        upgrade(revision="0004")
        kilim = db.session.scalar(select(Category.id).where(Category.slug == "kilim"))
        db.session.remove()
        with db.engine.begin() as connection:
            insert(
                connection,
                "users",
                id=1,
                email="p@example.com",
                password_hash="!",
                display_name="p",
                is_active_account=True,
                session_token="t",
                created_at=now,
            )
            insert(
                connection,
                "producers",
                id=1,
                user_id=1,
                shop_name="کارگاه",
                slug="k",
                city="مشهد",
                neighbourhood="",
                status="approved",
                rejection_reason="",
                is_certificate_verified=False,
                tagline="",
                story="",
                color_primary="#7a3e2b",
                color_secondary="#f4e1c1",
                sheba="",
                created_at=now,
            )
            for image_id in (1, 2, 3, 4):
                insert(
                    connection,
                    "images",
                    id=image_id,
                    key=f"{image_id:032d}",
                    width=10,
                    height=10,
                    renditions="10",
                    original_name="",
                    created_at=now,
                )
            for product_id, status, reason in (
                (1, "active", ""),
                (2, "pending", ""),
                (3, "rejected", "عکس تار است"),
            ):
                insert(
                    connection,
                    "products",
                    id=product_id,
                    producer_id=1,
                    category_id=kilim,
                    title=f"گلیم {product_id}",
                    description="",
                    description_format="plain",
                    description_html="",
                    price=1000,
                    stock_quantity=1,
                    is_made_to_order=False,
                    materials="",
                    dimensions="",
                    status=status,
                    rejection_reason=reason,
                    is_featured=False,
                    created_at=now,
                    updated_at=now,
                )
            # Two photos at one position: what the old photo race left behind
            for product_id, image_id, position in ((1, 1, 0), (1, 2, 0), (2, 3, 0), (3, 4, 0)):
                insert(
                    connection,
                    "product_photos",
                    product_id=product_id,
                    image_id=image_id,
                    position=position,
                )

        upgrade(revision="0005")

        with db.engine.connect() as connection:
            photos = connection.execute(
                text("SELECT product_id, image_id, position FROM product_photos ORDER BY id")
            ).all()
            revisions = connection.execute(
                text(
                    "SELECT product_id, number, version, status, rejection_reason, "
                    "open_product_id, title FROM product_revisions ORDER BY product_id"
                )
            ).all()
            proposed = connection.execute(
                text(
                    "SELECT r.product_id, p.image_id, p.position FROM revision_photos p "
                    "JOIN product_revisions r ON r.id = p.revision_id ORDER BY r.product_id"
                )
            ).all()
        assert [tuple(row) for row in photos] == [(1, 1, 0), (1, 2, 1)]
        assert [tuple(row) for row in revisions] == [
            (2, 1, 1, "pending", "", 2, "گلیم 2"),
            (3, 1, 1, "rejected", "عکس تار است", 3, "گلیم 3"),
        ]
        assert [tuple(row) for row in proposed] == [(2, 3, 0), (3, 4, 0)]

        downgrade(revision="0004")
        with db.engine.connect() as connection:
            photos = connection.execute(
                text(
                    "SELECT product_id, image_id FROM product_photos ORDER BY product_id, image_id"
                )
            ).all()
            reason = connection.scalar(text("SELECT rejection_reason FROM products WHERE id = 3"))
        assert [tuple(row) for row in photos] == [(1, 1), (1, 2), (2, 3), (3, 4)]
        assert reason == "عکس تار است"
        db.session.remove()
        _drop_everything()
        upgrade()


def test_variants_migration_gives_every_listing_its_stock_as_one_variant(app, factory):
    from shop.cart.models import Cart, CartLine
    from shop.database import transaction
    from shop.orders import services as orders
    from tests.orders.test_place_order import checkout

    producer = factory.producer()
    kilim = factory.listing(producer, stock=3)
    rug = factory.listing(producer, stock=0)
    buyer = factory.user()
    with transaction():
        orders.place_order(buyer, checkout({kilim.id: 1}))
        cart = Cart(user_id=buyer.id)
        cart.lines.append(
            CartLine(product=kilim, variant=kilim.variants[0], quantity=2, seen_price=1)
        )
        db.session.add(cart)
    kilim_id, rug_id = kilim.id, rug.id
    db.session.remove()  # nothing may hold the tables on PostgreSQL

    with app.app_context():
        db.session.remove()
        downgrade(revision="0009")
        with db.engine.connect() as connection:
            stock = dict(connection.execute(text("SELECT id, stock_quantity FROM products")).all())
            assert "product_variants" not in inspect(connection).get_table_names()
        assert stock == {kilim_id: 2, rug_id: 0}

        upgrade()
        with db.engine.connect() as connection:
            variants = connection.execute(
                text(
                    "SELECT product_id, id, option1, option2, stock_quantity, price, is_active "
                    "FROM product_variants ORDER BY product_id"
                )
            ).all()
            lines = connection.execute(
                text(
                    "SELECT 'cart', variant_id FROM cart_lines UNION ALL "
                    "SELECT 'order', variant_id FROM order_lines"
                )
            ).all()
    by_product = {row[0]: row[1:] for row in variants}
    assert [row[1:] for row in by_product.values()] == [
        ("", "", 2, None, True),
        ("", "", 0, None, True),
    ]
    kilim_variant = by_product[kilim_id][0]
    assert sorted(tuple(row) for row in lines) == [
        ("cart", kilim_variant),
        ("order", kilim_variant),
    ]
