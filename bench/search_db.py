"""An app over a throw-away SQLite database holding the synthetic catalogue, for the API figures.

The rows are inserted in bulk (``db.session.execute(insert(Model), rows)`` in batches), not
through the shop's services: only the API's read path is measured. Product ids equal the
``Document`` ids the index was built from, so the API loads the cards of the ids it finds.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select

from bench.search_corpus import Catalogue
from shop.text import render_description

BATCH = 5000


def make_app(folder: Path, index_root: Path):
    """An app (TESTING) on an SQLite file in ``folder`` searching the index at ``index_root``."""
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["SHOP_INSTANCE_PATH"] = str(folder / "instance")
    from shop import create_app

    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "search-benchmark-secret-key-0000000000",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'shop.sqlite3'}",
            "SHOP_UPLOAD_DIR": str(folder / "uploads"),
            "SHOP_SEARCH_INDEX_DIR": str(index_root),
            "SHOP_PASSWORD_METHOD": "pbkdf2:sha256:1000",
            "SHOP_SEARCH_WORKER": False,
        }
    )


def _batches(rows: list[dict]):
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def seed_catalogue(app, catalogue: Catalogue) -> float:
    """Create the tables, the categories and every row of ``catalogue``; returns seconds."""
    from shop.accounts.models import User
    from shop.catalog.models import Category
    from shop.catalog.seed import seed_categories
    from shop.cooperatives.models import Centre, Cooperative
    from shop.extensions import db
    from shop.listings.models import DescriptionFormat, Product, ProductStatus
    from shop.producers.models import Producer, ProducerStatus

    start = time.perf_counter()
    with app.app_context():
        db.create_all()
        seed_categories()
        category_ids = {c.slug: c.id for c in db.session.scalars(select(Category))}
        now = datetime.now(UTC)
        tables = [
            (
                Centre,
                [
                    {
                        "id": c.id,
                        "name": c.name,
                        "slug": c.slug,
                        "city": c.city,
                        "neighbourhood": c.neighbourhood,
                    }
                    for c in catalogue.centres
                ],
            ),
            (
                Cooperative,
                [
                    {"id": c.id, "name": c.name, "slug": c.slug, "city": c.city}
                    for c in catalogue.cooperatives
                ],
            ),
            (
                User,
                [
                    {
                        "id": p.id,
                        "email": f"producer{p.id}@bench.test",
                        "password_hash": "!",
                        "display_name": p.shop_name,
                        "session_token": f"bench-{p.id}",
                    }
                    for p in catalogue.producers
                ],
            ),
            (
                Producer,
                [
                    {
                        "id": p.id,
                        "user_id": p.id,
                        "shop_name": p.shop_name,
                        "slug": p.slug,
                        "city": p.city,
                        "neighbourhood": p.neighbourhood,
                        "centre_id": p.centre.id if p.centre else None,
                        "cooperative_id": p.cooperative.id if p.cooperative else None,
                        "status": ProducerStatus.APPROVED,
                        "approved_at": now,
                    }
                    for p in catalogue.producers
                ],
            ),
            (
                Product,
                [
                    {
                        "id": item.id,
                        "producer_id": item.producer.id,
                        "category_id": category_ids[item.category],
                        "title": item.title,
                        "description": item.description,
                        "description_format": DescriptionFormat.PLAIN,
                        "description_html": render_description(item.description, False),
                        "price": item.price,
                        "stock_quantity": item.stock,
                        "is_made_to_order": item.made_to_order,
                        "lead_time_days": item.lead_time_days,
                        "materials": item.materials,
                        "dimensions": item.dimensions,
                        "weight_grams": item.weight_grams,
                        "status": ProductStatus.ACTIVE,
                        "published_at": datetime.fromtimestamp(item.published, UTC),
                        "created_at": datetime.fromtimestamp(item.published, UTC),
                        "updated_at": datetime.fromtimestamp(item.published, UTC),
                    }
                    for item in catalogue.listings
                ],
            ),
        ]
        for model, rows in tables:
            for batch in _batches(rows):
                db.session.execute(insert(model), batch)
        db.session.commit()
        db.session.remove()
    return time.perf_counter() - start
