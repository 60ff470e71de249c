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
