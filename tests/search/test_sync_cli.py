"""`shop search check|drain|reindex` from the command line."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from shop.extensions import db
from shop.listings.models import Product
from shop.search.backend import Changes
from shop.search.models import SearchOutboxEntry
from shop.search.outbox import enqueue_products
from tests.snapshots import cached_fixture


def outbox_size() -> int:
    return db.session.scalar(select(func.count()).select_from(SearchOutboxEntry))


@pytest.fixture
def shop_cli(app, runner):
    """Run `shop search …` as a new process would: with a newly opened index."""

    def invoke(*args):
        app.extensions["search"].close()
        with app.app_context():  # its own database session, as in its own process
            return runner.invoke(args=["search", *args])

    return invoke


@cached_fixture
def items(factory):
    producer = factory.producer()
    return [factory.listing(producer, title=f"گلیم cliitem{n}") for n in range(3)]


def test_check_in_step_exits_0(shop_cli, items):
    result = shop_cli("check")

    assert result.exit_code == 0, result.output
    assert "missing: 0" in result.output
    assert "extra: 0" in result.output
    assert "stale: 0" in result.output
    assert "The index matches the database." in result.output


def test_check_reports_a_document_deleted_behind_the_databases_back(app, shop_cli, items):
    app.extensions["search"].update(lambda: Changes([], [items[1].id]))

    result = shop_cli("check")

    assert result.exit_code == 1
    assert f"missing: 1 ({items[1].id})" in result.output
    assert "stale: 0" in result.output


def test_check_reports_a_row_changed_without_enqueue_as_stale(shop_cli, items):
    db.session.execute(
        update(Product).where(Product.id == items[2].id).values(title="گلیم changed")
    )
    db.session.commit()

    result = shop_cli("check")

    assert result.exit_code == 1
    assert f"stale: 1 ({items[2].id})" in result.output
    assert "missing: 0" in result.output


def test_check_reports_an_extra_document(shop_cli, items):
    db.session.execute(update(Product).where(Product.id == items[0].id).values(status="paused"))
    db.session.commit()

    result = shop_cli("check")

    assert result.exit_code == 1
    assert f"extra: 1 ({items[0].id})" in result.output


def test_drain_applies_waiting_entries(app, shop_cli, items):
    product = items[0]
    db.session.execute(
        update(Product).where(Product.id == product.id).values(title="گلیم draintitle")
    )
    enqueue_products([product.id])
    db.session.commit()
    assert outbox_size() == 1
    assert shop_cli("check").exit_code == 1

    result = shop_cli("drain")

    assert result.exit_code == 0, result.output
    assert "1 change(s) applied." in result.output
    assert outbox_size() == 0
    assert shop_cli("check").exit_code == 0
    assert shop_cli("drain").output.strip() == "0 change(s) applied."


def test_reindex_repairs_what_check_found(shop_cli, items):
    db.session.execute(
        update(Product).where(Product.id == items[2].id).values(title="گلیم repaired")
    )
    db.session.commit()
    assert shop_cli("check").exit_code == 1

    result = shop_cli("reindex")

    assert result.exit_code == 0, result.output
    assert "3 listings indexed" in result.output
    assert shop_cli("check").exit_code == 0


def test_check_on_a_missing_index_says_to_reindex(app, shop_cli, items):
    import shutil

    shutil.rmtree(app.config["SHOP_SEARCH_INDEX_DIR"])

    result = shop_cli("check")

    assert result.exit_code == 1
    assert "shop search reindex" in result.output
