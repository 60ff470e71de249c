"""The index follows every committed change, through the services and the outbox, and
never a change that was rolled back."""

from __future__ import annotations

import pytest
from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from shop.catalog.models import Category
from shop.catalog.services import rename_category
from shop.cooperatives.services import rename_centre, rename_cooperative
from shop.database import transaction
from shop.extensions import db
from shop.listings import services as listings
from shop.listings.models import Product, ProductStatus
from shop.producers import services as producers
from shop.producers.models import Producer, ProducerStatus
from shop.search.backend import SearchRequest
from shop.search.models import SearchOutboxEntry
from shop.search.outbox import enqueue_producer, enqueue_products
from shop.search.services import IndexReport, check_index, drain_outbox
from tests.conftest import approve_listing, reject_listing


def found(app, text: str) -> set[int]:
    """What the index holds for ``text``, read by a new searcher (as a new process would:
    refreshing a reused searcher is tested on its own, in test_sync_searcher.py)."""
    backend = app.extensions["search"]
    backend.close()
    return set(backend.search(SearchRequest(text=text)).ids)


def outbox_size() -> int:
    return db.session.scalar(select(func.count()).select_from(SearchOutboxEntry))


def listing_data(product: Product, **changes) -> listings.ListingData:
    return listings.ListingData.of(product, **changes)


def brand(shop_name: str) -> producers.Brand:
    return producers.Brand(
        shop_name=shop_name,
        tagline="",
        story="",
        color_primary="#7a3e2b",
        color_secondary="#f4e1c1",
    )


def check() -> IndexReport:
    """check_index() in its own app context: it expunges every object of its session."""
    current_app.extensions["search"].close()
    with current_app.app_context():
        return check_index()


def assert_in_step() -> None:
    report = check()
    assert report.ok, report
    assert outbox_size() == 0


# -- each kind of change ------------------------------------------------------------------


def test_new_listing_waits_for_approval_then_is_found(app, factory):
    producer = factory.producer()
    product = factory.listing(producer, title="گلیم alphakilim", active=False)

    assert found(app, "alphakilim") == set()
    assert outbox_size() == 0
    # Even when the index is told to look at it, a listing waiting for review stays out
    enqueue_products([product.id])
    db.session.commit()
    assert drain_outbox() == 1
    assert found(app, "alphakilim") == set()

    with transaction():
        approve_listing(product)
    assert outbox_size() == 1  # written with the change, applied after the commit
    assert drain_outbox() == 1

    assert found(app, "alphakilim") == {product.id}
    assert found(app, "گلیم") == {product.id}
    assert_in_step()


def test_an_edit_is_found_by_its_approved_title_until_the_new_one_is_approved(app, factory):
    producer = factory.producer()
    product = factory.listing(producer, title="گلیم oldtitle")
    assert found(app, "oldtitle") == {product.id}

    with transaction():
        listings.update_listing(producer, product, listing_data(product, title="گلیم newtitle"))
    drain_outbox()

    # Still on sale as approved, and found as such: nothing unreviewed reaches search
    assert product.status is ProductStatus.ACTIVE
    assert found(app, "oldtitle") == {product.id}
    assert found(app, "newtitle") == set()
    assert_in_step()

    with transaction():
        approve_listing(product)
    drain_outbox()

    assert found(app, "oldtitle") == set()
    assert found(app, "newtitle") == {product.id}
    assert_in_step()


def test_edit_of_price_and_body_reaches_the_index(app, factory):
    producer = factory.producer()
    product = factory.listing(producer, title="کیف betabag", price=2_000_000)

    with transaction():
        listings.update_listing(
            producer,
            product,
            listing_data(product, description="چرم گاوی gammabody", price=90_000_000),
        )
    drain_outbox()
    # The price applies at once; the description waits for review
    app.extensions["search"].close()
    hits = app.extensions["search"].search(SearchRequest(text="betabag", price_band="5m-20m"))
    assert hits.ids == [product.id]
    assert found(app, "gammabody") == set()

    with transaction():
        approve_listing(product)
    drain_outbox()

    assert found(app, "gammabody") == {product.id}
    app.extensions["search"].close()
    hits = app.extensions["search"].search(SearchRequest(text="betabag", price_band="5m-20m"))
    assert hits.ids == [product.id]
    assert_in_step()


def test_a_sale_rewrites_the_index_only_when_the_listing_sells_out(app, factory):
    from shop.orders.services import take_stock

    product = factory.listing(factory.producer(), title="گلیم gammakilim", stock=2)
    generations = app.extensions["search"].generations

    def commits() -> int:
        return generations.open(generations.current()).latest_generation()

    def in_stock() -> set[int]:
        app.extensions["search"].close()
        request = SearchRequest(text="gammakilim", availability="in_stock")
        return set(app.extensions["search"].search(request).ids)

    variant = product.variants[0]
    before = commits()
    with transaction():  # one of two sold: still in stock, nothing searched or shown changed
        take_stock({variant.id: 1}, [variant])
    assert drain_outbox() == 1
    assert commits() == before
    assert in_stock() == {product.id}
    assert_in_step()

    with transaction():  # the last one sold: now out of stock in search too
        take_stock({variant.id: 1}, [variant])
    assert drain_outbox() == 1
    assert commits() == before + 1
    assert in_stock() == set()
    assert_in_step()


def test_pause_and_resume(app, factory):
    producer = factory.producer()
    product = factory.listing(producer, title="سبد pausebasket")
    other = factory.listing(producer, title="سبد otherbasket")

    with transaction():
        listings.pause_listing(producer, product)
    drain_outbox()
    assert found(app, "سبد") == {other.id}
    assert_in_step()

    with transaction():
        listings.resume_listing(producer, product)
    drain_outbox()
    assert found(app, "سبد") == {product.id, other.id}
    assert_in_step()


def test_a_rejected_edit_leaves_the_approved_version_in_search(app, factory):
    producer = factory.producer()
    product = factory.listing(producer, title="تابلو rejectme")
    with transaction():
        listings.update_listing(producer, product, listing_data(product, title="تابلو rejectme2"))
    with transaction():
        reject_listing(product, "عکس‌ها تار است")
    drain_outbox()

    assert found(app, "rejectme") == {product.id}
    assert found(app, "rejectme2") == set()
    assert_in_step()


def test_a_rejected_new_listing_stays_out(app, factory):
    producer = factory.producer()
    product = factory.listing(producer, title="تابلو neverapproved", active=False)
    with transaction():
        reject_listing(product, "عکس‌ها تار است")
    drain_outbox()

    assert found(app, "neverapproved") == set()
    # Even when the index is told to look at it again
    enqueue_products([product.id])
    db.session.commit()
    assert drain_outbox() == 1
    assert found(app, "neverapproved") == set()
    assert_in_step()


def test_delete_removes_the_listing(app, factory):
    producer = factory.producer()
    product = factory.listing(producer, title="کوسن deleteme")
    with transaction():
        listings.delete_listing(producer, product)
    drain_outbox()

    assert found(app, "deleteme") == set()
    assert product.id not in check().extra
    assert_in_step()


def test_suspended_producer_listings_leave_and_come_back(app, factory):
    # There is no suspend service yet: this is what one must do (status + enqueue_producer).
    producer = factory.producer()
    first = factory.listing(producer, title="گلیم suspendone")
    second = factory.listing(producer, title="گلیم suspendtwo")
    keeper = factory.listing(factory.producer(), title="گلیم suspendkeep")

    producer.status = ProducerStatus.SUSPENDED
    enqueue_producer(producer.id)
    db.session.commit()
    drain_outbox()
    assert found(app, "گلیم") == {keeper.id}
    assert_in_step()

    producer.status = ProducerStatus.APPROVED
    enqueue_producer(producer.id)
    db.session.commit()
    drain_outbox()
    assert found(app, "گلیم") == {first.id, second.id, keeper.id}
    assert_in_step()


def test_rejected_producer_listings_leave(app, factory):
    producer = factory.producer()
    product = factory.listing(producer, title="گلیم rejectedshop")
    # An approved shop cannot be rejected; put it back in the queue behind the index's back.
    db.session.execute(
        update(Producer).where(Producer.id == producer.id).values(status=ProducerStatus.APPLIED)
    )
    db.session.commit()
    assert check().extra == [product.id]

    db.session.refresh(producer)
    with transaction():
        producers.reject_producer(producer, "مدارک ناقص")
    drain_outbox()

    assert found(app, "rejectedshop") == set()
    assert_in_step()


def test_shop_renamed_finds_the_listings_by_the_new_name(app, factory):
    producer = factory.producer(shop_name="کارگاه oldshopname")
    items = {factory.listing(producer, title=f"گلیم {n}").id for n in range(3)}
    assert found(app, "oldshopname") == items

    with transaction():
        producers.update_brand(producer, brand("کارگاه newshopname"))
    drain_outbox()

    assert found(app, "newshopname") == items
    assert found(app, "oldshopname") == set()
    assert_in_step()


def test_cooperative_renamed(app, factory):
    cooperative = factory.cooperative(name="تعاونی oldcoop")
    outsider = factory.producer()  # first: the member's id is not the cooperative's
    member = factory.producer(cooperative=cooperative)
    product = factory.listing(member, title="گلیم coopitem")
    factory.listing(outsider, title="گلیم outsider")
    assert found(app, "oldcoop") == {product.id}

    with transaction():
        rename_cooperative(cooperative, "تعاونی newcoop")
    drain_outbox()

    assert found(app, "newcoop") == {product.id}
    assert found(app, "oldcoop") == set()
    assert_in_step()


def test_centre_renamed(app, factory):
    centre = factory.centre(name="مرکز oldcentre")
    elsewhere = factory.producer()  # first: the member's id is not the centre's
    member = factory.producer(centre=centre)
    product = factory.listing(member, title="گلیم centreitem")
    factory.listing(elsewhere, title="گلیم elsewhere")
    assert found(app, "oldcentre") == {product.id}

    with transaction():
        rename_centre(centre, "مرکز newcentre")
    drain_outbox()

    assert found(app, "newcentre") == {product.id}
    assert found(app, "oldcentre") == set()
    assert_in_step()


def test_category_renamed_reaches_its_listings_and_its_childrens(app, factory):
    producer = factory.producer()
    kilim = factory.listing(producer, title="گلیم catitem", category="kilim")
    leather = factory.listing(producer, title="کیف catitem", category="leather")
    parent = db.session.scalar(select(Category).where(Category.slug == "carpets-rugs"))
    child = factory.category("kilim")

    with transaction():
        rename_category(child, "گلیم نو", "Newkilimname")
    drain_outbox()
    assert found(app, "newkilimname") == {kilim.id}

    with transaction():
        rename_category(parent, "زیرانداز نو", "Newparentname")
    drain_outbox()
    assert found(app, "newparentname") == {kilim.id}
    assert leather.id not in found(app, "newparentname")
    assert_in_step()


# -- never before the commit --------------------------------------------------------------


def test_rolled_back_change_never_reaches_the_index(app, factory):
    producer = factory.producer()
    product = factory.listing(producer, title="گلیم committedtitle")

    product.title = "گلیم rolledbacktitle"
    enqueue_products([product.id])
    db.session.flush()  # the outbox row is written, in the same transaction
    assert outbox_size() == 1
    db.session.rollback()

    assert outbox_size() == 0
    assert drain_outbox() == 0
    assert found(app, "rolledbacktitle") == set()
    assert found(app, "committedtitle") == {product.id}
    assert_in_step()


def test_service_failing_at_commit_leaves_no_outbox_row(app, factory):
    producer = factory.producer()
    product = factory.listing(producer, title="گلیم pricecheck")

    with pytest.raises(IntegrityError, match="price_positive"), transaction():
        listings.update_listing(
            producer, product, listing_data(product, title="گلیم badprice", price=0)
        )
    db.session.rollback()

    assert outbox_size() == 0
    assert drain_outbox() == 0
    assert found(app, "badprice") == set()
    assert found(app, "pricecheck") == {product.id}
    assert db.session.get(Product, product.id).status is ProductStatus.ACTIVE
    assert_in_step()


def test_rename_failing_at_commit_never_reaches_the_index(app, factory, monkeypatch):
    cooperative = factory.cooperative(name="تعاونی keptcoop")
    product = factory.listing(factory.producer(cooperative=cooperative), title="گلیم coop")
    real_commit = db.session.commit

    def failing_commit():
        db.session.flush()  # the outbox rows are in the database, uncommitted
        assert outbox_size() == 1
        raise RuntimeError("disk full")

    monkeypatch.setattr(db.session, "commit", failing_commit)
    with pytest.raises(RuntimeError, match="disk full"), transaction():
        rename_cooperative(cooperative, "تعاونی lostcoop")
    monkeypatch.setattr(db.session, "commit", real_commit)
    db.session.rollback()

    assert outbox_size() == 0
    assert drain_outbox() == 0
    assert found(app, "lostcoop") == set()
    assert found(app, "keptcoop") == {product.id}
    assert_in_step()


def test_failed_listing_creation_leaves_nothing(app, factory):
    producer = factory.producer()
    with pytest.raises(IntegrityError, match="price_positive"):
        factory.listing(producer, title="گلیم neverexisted", price=0)
    db.session.rollback()

    assert outbox_size() == 0
    assert db.session.scalar(select(func.count()).select_from(Product)) == 0
    assert found(app, "neverexisted") == set()
    assert_in_step()
