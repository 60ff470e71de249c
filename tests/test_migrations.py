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
