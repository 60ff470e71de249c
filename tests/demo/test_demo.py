"""The demo loader fills an empty database with a catalogue worth looking at, once.

Loading the demo processes about 150 pictures, so it is loaded a single time for this module
(through ``shop demo --if-empty``, as ``make run`` does) and every test reads from that database.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from shop import create_app
from shop.accounts.models import Role, User
from shop.accounts.services import find_user_by_email
from shop.catalog.queries import leaf_categories
from shop.cooperatives.models import Centre, Cooperative, MembershipRequest, MembershipStatus
from shop.database import utcnow
from shop.demo import DEMO_ACCOUNTS, DemoAlreadyLoaded, database_is_empty, load_demo
from shop.extensions import db, limiter
from shop.listings.models import Product, ProductStatus
from shop.media.services import image_store
from shop.producers.models import Producer, ProducerStatus
from shop.text import brand_contrasts
from tests.conftest import count

ZWNJ = "\u200c"
ARABIC_LETTERS = ("ي", "ك")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """An app whose database was empty, then loaded with ``shop demo --if-empty``."""
    folder = tmp_path_factory.mktemp("demo")
    shared_database = os.environ.get("SHOP_TEST_DATABASE_URL")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-000",
            "SQLALCHEMY_DATABASE_URI": shared_database or f"sqlite:///{folder / 'demo.sqlite3'}",
            "SHOP_UPLOAD_DIR": str(folder / "uploads"),
            "SHOP_PRIVATE_DIR": str(folder / "private"),
            "SHOP_SEARCH_INDEX_DIR": str(folder / "search-index"),
            "SHOP_PASSWORD_METHOD": "pbkdf2:sha256:1000",
        }
    )
    with app.app_context():
        if shared_database:
            empty_every_table()  # the shared database keeps its migrated schema
        else:
            db.create_all()  # no categories: the loader seeds them itself
        was_empty = database_is_empty()
    limiter.reset()
    started = time.perf_counter()
    result = app.test_cli_runner().invoke(args=["demo", "--if-empty"])
    seconds = time.perf_counter() - started
    yield {"app": app, "was_empty": was_empty, "result": result, "seconds": seconds}
    app.extensions["search"].close()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def empty_every_table() -> None:
    names = ", ".join(table.name for table in db.metadata.sorted_tables)
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def demo_ctx(demo):
    with demo["app"].test_request_context():
        yield


def aware(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their (UTC) zone; PostgreSQL keeps it."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def active_products() -> list[Product]:
    return list(db.session.scalars(select(Product).where(Product.status == ProductStatus.ACTIVE)))


def test_the_command_loads_an_empty_database_and_lists_the_accounts(demo, demo_ctx):
    result = demo["result"]

    assert demo["was_empty"] is True
    assert result.exit_code == 0, result.output
    assert "Demo data loaded: 6 centres, 3 cooperatives, 12 producers, 60 listings;" in (
        result.output
    )
    for account in DEMO_ACCOUNTS:
        assert re.search(
            rf"{account.role}\s+{re.escape(account.email)}\s+{account.password}", result.output
        )
    assert database_is_empty() is False
    assert demo["seconds"] < 60  # about 7 s on a laptop; the pictures dominate


def test_the_command_does_not_load_twice(demo, demo_ctx):
    before = (count(User), count(Product), count(Producer))

    result = demo["app"].test_cli_runner().invoke(args=["demo", "--if-empty"])

    assert result.exit_code == 0, result.output
    assert "already has data; demo data not loaded" in result.output
    assert "admin@dastranj.test" in result.output
    assert (count(User), count(Product), count(Producer)) == before


def test_loading_again_is_refused_and_changes_nothing(demo_ctx):
    before = (count(User), count(Centre), count(Product))

    with pytest.raises(DemoAlreadyLoaded):
        load_demo()

    assert (count(User), count(Centre), count(Product)) == before


def test_centres_and_cooperatives(demo_ctx):
    centres = list(db.session.scalars(select(Centre)))
    cooperatives = list(db.session.scalars(select(Cooperative)))
    manager = find_user_by_email("manager@dastranj.test")

    assert len(centres) >= 3
    assert {"مشهد", "بوشهر", "اصفهان"} <= {c.city for c in centres}
    assert all(c.description for c in centres)
    assert len(cooperatives) >= 2
    assert all(len(c.managers) == 1 for c in cooperatives)
    assert [c for c in cooperatives if manager in c.managers] != []
    assert manager.has_role(Role.COOPERATIVE_MANAGER)
    for cooperative in cooperatives:
        assert cooperative.story and cooperative.tagline
        assert cooperative.logo is not None and cooperative.banner is not None
        contrasts = brand_contrasts(cooperative.color_primary, cooperative.color_secondary)
        assert min(contrasts.values()) >= 4.5, (cooperative.name, contrasts)


def test_producers_have_brands_and_are_spread_out(demo_ctx):
    producers = list(
        db.session.scalars(select(Producer).where(Producer.status == ProducerStatus.APPROVED))
    )
    members = [p for p in producers if p.cooperative_id is not None]

    assert len(producers) >= 12
    assert {"مشهد", "بوشهر", "اصفهان", "تهران"} <= {p.city for p in producers}
    assert len({p.centre_id for p in producers}) >= 3
    assert len(producers) / 2 < len(members) < len(producers)
    for producer in producers:
        assert producer.tagline and producer.story, producer.shop_name
        assert producer.logo is not None and producer.banner is not None, producer.shop_name
        contrasts = brand_contrasts(producer.color_primary, producer.color_secondary)
        assert min(contrasts.values()) >= 4.5, (producer.shop_name, contrasts)
        assert producer.color_secondary != producer.color_primary
        assert producer.user.has_role(Role.PRODUCER)
    assert find_user_by_email("producer@dastranj.test").producer in producers


def test_sixty_active_listings_cover_every_leaf_category(demo_ctx):
    products = active_products()
    per_category = Counter(p.category_id for p in products)

    assert len(products) >= 60
    for category in leaf_categories():
        assert per_category[category.id] >= 1, category.slug
    assert 1 <= sum(p.is_featured for p in products) <= 10
    made_to_order = [p for p in products if p.is_made_to_order]
    assert made_to_order and all(
        p.stock_quantity == 0 and 1 <= p.lead_time_days <= 365 for p in made_to_order
    )
    assert any(p.stock_quantity > 0 and not p.is_made_to_order for p in products)
    assert all(p.price >= 100_000 and p.materials and p.dimensions for p in products)


def test_listings_are_published_after_their_shop_opened_and_before_their_first_sale(demo_ctx):
    from shop.orders.models import Order, OrderLine, Parcel

    now = utcnow()
    products = active_products()
    dates = sorted(aware(p.published_at) for p in products)
    first_sold = dict(
        db.session.execute(
            select(OrderLine.product_id, func.min(Order.placed_at))
            .join(Parcel, Parcel.id == OrderLine.parcel_id)
            .join(Order, Order.id == Parcel.order_id)
            .group_by(OrderLine.product_id)
        ).all()
    )

    assert dates[-1] <= now
    assert dates[-1] - dates[0] > timedelta(days=300)
    assert len(set(dates)) == len(dates)
    for product in products:
        assert aware(product.producer.approved_at) < aware(product.published_at), product.title
        if product.id in first_sold:
            assert aware(product.published_at) < aware(first_sold[product.id]), product.title


def test_every_active_listing_has_photos_on_disk(demo_ctx):
    store = image_store()
    for product in active_products():
        assert 1 <= len(product.photos) <= 3, product.title
        for photo in product.photos:
            image = photo.image
            assert (image.width, image.height) == (800, 600)
            assert image.widths
            for width in image.widths:
                assert store.exists(image.key, width), (product.title, width)


def test_titles_are_typed_the_way_people_type(demo_ctx):
    titles = [p.title for p in active_products()]

    assert any(letter in title for title in titles for letter in ARABIC_LETTERS)
    assert any(ZWNJ in title for title in titles)
    assert any("دست‌باف" in t for t in titles) and any("دستباف" in t for t in titles)
    english = [t for t in titles if t.isascii() or re.match(r"[A-Za-z]", t)]
    assert 3 <= len(english) <= 12


def test_review_queues_have_something_to_show(demo_ctx):
    applicants = list(
        db.session.scalars(select(Producer).where(Producer.status == ProducerStatus.APPLIED))
    )
    requests = list(
        db.session.scalars(
            select(MembershipRequest).where(MembershipRequest.status == MembershipStatus.PENDING)
        )
    )
    manager = find_user_by_email("manager@dastranj.test")

    assert len(applicants) == 1 and applicants[0].certificate is not None
    assert count(Product, Product.status == ProductStatus.PENDING) == 2
    assert len(requests) == 1
    assert manager in requests[0].cooperative.managers
    assert requests[0].producer.cooperative_id is None


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.role)
def test_every_demo_account_can_sign_in(demo, account):
    client = demo["app"].test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    response = client.post(
        "/login", data={"csrf_token": token, "email": account.email, "password": account.password}
    )

    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    assert len(account.password) >= 8


def test_demo_pages_render(demo, demo_ctx):
    product = active_products()[0]
    producer = db.session.scalars(select(Producer).order_by(Producer.id)).first()
    cooperative = db.session.scalars(select(Cooperative)).first()
    centre = db.session.scalars(select(Centre)).first()
    client = demo["app"].test_client()

    for url in [
        "/",
        "/categories/carpets-rugs",
        "/categories/resin-crafts",
        f"/products/{product.id}",
        f"/shops/{producer.slug}",
        f"/cooperatives/{cooperative.slug}",
        f"/centres/{centre.slug}",
    ]:
        assert client.get(url).status_code == 200, url


def test_buyers_have_addresses_and_orders_in_every_parcel_state_over_recent_months(demo_ctx):
    from shop.orders.models import CancelledBy, Order, ParcelStatus, SavedAddress
    from shop.payments.models import PaymentStatus

    demo_orders = list(
        db.session.scalars(select(Order).where(Order.idempotency_key.like("demo-order-%")))
    )
    buyers = {o.buyer_id for o in demo_orders}
    assert len(demo_orders) == 13 and len(buyers) == 4
    assert count(SavedAddress, SavedAddress.user_id.in_(buyers), SavedAddress.is_default) == 4

    parcels = [p for o in demo_orders for p in o.parcels]
    states = Counter(
        "new"
        if p.status is ParcelStatus.PREPARING and p.seen_at is None
        else (p.cancelled_by.value if p.cancelled_by else p.status.value)
        for p in parcels
    )
    assert set(states) == {"new", "preparing", "shipped", "delivered", "buyer", "producer"}
    assert {p.shipping_method.value for p in parcels} == {"post", "centre_pickup"}
    delivered = [p for p in parcels if p.status is ParcelStatus.DELIVERED]
    assert all(p.shipped_at <= p.delivered_at for p in delivered)
    captured = [p for o in demo_orders for p in o.payments if p.status is PaymentStatus.CAPTURED]
    assert len(captured) == len(delivered)
    assert all(p.cancel_reason for p in parcels if p.cancelled_by is CancelledBy.PRODUCER)

    placed = sorted(aware(o.placed_at) for o in demo_orders)
    assert placed[-1] - placed[0] > timedelta(days=90)
    assert placed[-1] <= utcnow()


def test_the_demo_producer_has_new_parcels_and_some_listings_have_sizes_and_colours(demo_ctx):
    from shop.listings.models import ProductVariant
    from shop.orders.models import Parcel, ParcelStatus

    producer = db.session.scalars(
        select(Producer).join(User).where(User.email == "producer@dastranj.test")
    ).one()
    new = [
        p
        for p in db.session.scalars(select(Parcel).where(Parcel.producer_id == producer.id))
        if p.status is ParcelStatus.PREPARING and p.seen_at is None
    ]
    assert new
    with_options = [p for p in active_products() if p.has_options]
    assert len(with_options) >= 3 and any(len(p.option_names) == 2 for p in with_options)
    for product in active_products():  # the listing's stock is its variants' sum
        offered = db.session.scalars(
            select(ProductVariant).where(
                ProductVariant.product_id == product.id, ProductVariant.is_active.is_(True)
            )
        ).all()
        assert product.stock_quantity == sum(v.stock_quantity for v in offered)
    # Nobody waits for the demo's e-mails.
    from shop.mail.models import OutgoingMail

    assert count(OutgoingMail) == 0


def test_the_demo_order_pages_render(demo):
    for email, password, urls in [
        ("buyer@dastranj.test", "buyer-dastranj-1404", ["/orders", "/cart", "/checkout"]),
        ("producer@dastranj.test", "producer-dastranj-1404", ["/producer/parcels"]),
        ("admin@dastranj.test", None, ["/admin/orders"]),
    ]:
        account = next(a for a in DEMO_ACCOUNTS if a.email == email)
        limiter.reset()  # sign-ins from one address are throttled
        client = demo["app"].test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        signed_in = client.post(
            "/login",
            data={"csrf_token": token, "email": email, "password": password or account.password},
        )
        assert signed_in.status_code == 303, email
        for url in urls:
            assert client.get(url).status_code in (200, 303), url


def test_a_new_visitor_buys_a_demo_piece_cash_on_delivery_and_its_producer_sends_it(demo):
    """What ``make run`` offers: on the demo data, a newcomer orders and the producer ships."""
    from shop.orders.models import Order, ParcelStatus
    from tests.conftest import CSRFClient
    from tests.orders.test_views import FORM, hidden

    app = demo["app"]
    app.test_client_class = CSRFClient
    limiter.reset()
    with app.app_context():
        product = next(p for p in active_products() if p.default_variant and p.stock_quantity > 0)
        product_id, seller = product.id, product.producer.user.email
    buyer = app.test_client()
    assert (
        buyer.post(
            "/register",
            data={
                "display_name": "نرگس",
                "email": "newcomer@example.com",
                "password": "a good long password",
                "confirm": "a good long password",
            },
        ).status_code
        == 303
    )
    added = buyer.post(
        "/cart/add", data={"product_id": str(product_id)}, headers={"Origin": "http://localhost"}
    )
    assert added.status_code == 303
    html = buyer.get("/checkout").text
    placed = buyer.post(
        "/checkout", data={**FORM, "reviewed": hidden(html, "reviewed"), "key": hidden(html, "key")}
    )
    assert placed.status_code == 303, placed.text[:300]
    number = placed.headers["Location"].rsplit("/", 1)[1]

    producer = app.test_client()
    limiter.reset()
    account = next(a for a in DEMO_ACCOUNTS if a.role == "producer")
    page = producer.get("/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert (
        producer.post(
            "/login", data={"csrf_token": token, "email": seller, "password": account.password}
        ).status_code
        == 303
    )
    with app.app_context():
        parcel_id = (
            db.session.scalars(select(Order).where(Order.number == number)).one().parcels[0].id
        )
    assert producer.get(f"/producer/parcels/{parcel_id}").status_code == 200
    shipped = producer.post(
        f"/producer/parcels/{parcel_id}/ship",
        data={"carrier": "پست پیشتاز", "tracking_code": "123"},
    )
    delivered = producer.post(f"/producer/parcels/{parcel_id}/deliver", data={"cash_received": "y"})
    assert shipped.status_code == delivered.status_code == 303
    with app.app_context():
        order = db.session.scalars(select(Order).where(Order.number == number)).one()
        assert order.parcels[0].status is ParcelStatus.DELIVERED
        assert order.status.value == "completed"
    assert "123" in buyer.get(f"/orders/{number}").text


def test_fourteen_months_of_history_give_every_report_a_shape(demo, demo_ctx):
    from shop.demo.history import MONTHS
    from shop.ledger.queries import check_books
    from shop.orders.models import Order, OrderLine, Parcel, ParcelStatus
    from shop.payouts.models import BatchStatus, PayoutBatch
    from shop.reports.models import TrainingRecord
    from shop.reports.periods import month_of

    zone = demo["app"].config["BABEL_DEFAULT_TIMEZONE"]
    now = month_of(utcnow(), zone)
    history = list(
        db.session.scalars(select(Order).where(Order.idempotency_key.like("demo-history-%")))
    )
    months = {month_of(order.placed_at, zone) for order in history}
    per_cooperative = {}
    for order in history:
        for parcel in order.parcels:
            assert parcel.status is ParcelStatus.DELIVERED
            for line in parcel.lines:
                if line.cooperative_id:
                    per_cooperative.setdefault(line.cooperative_id, set()).add(
                        month_of(order.placed_at, zone)
                    )
    batches = db.session.scalars(
        select(PayoutBatch).where(PayoutBatch.status == BatchStatus.CONFIRMED)
    ).all()
    centres = db.session.scalars(select(Centre)).all()

    assert len(months) == MONTHS and now not in months
    assert {o.payment_method for o in history} == {"cash", "zarinpal"}
    assert set(per_cooperative) == {c.id for c in db.session.scalars(select(Cooperative))}
    assert all(len(seen) >= 8 for seen in per_cooperative.values())
    assert len({month_of(b.decided_at, zone) for b in batches}) >= 12
    assert count_rows(TrainingRecord) == len(centres) * (MONTHS + 1)
    assert count_rows(OrderLine) > 150
    assert len({p.producer_id for o in history for p in o.parcels}) >= 10
    assert count_rows(Parcel) >= len(history)
    assert check_books().ok


def count_rows(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_subsidy_applications_in_every_state_with_their_invoices(demo, demo_ctx):
    from shop.ledger.models import LedgerTransaction
    from shop.subsidies.invoices import invoice_store
    from shop.subsidies.models import SubsidyApplication, SubsidyStatus

    applications = db.session.scalars(select(SubsidyApplication)).all()
    states = Counter(a.status for a in applications)
    years = {a.jalali_year for a in applications if a.jalali_year}

    assert set(states) == set(SubsidyStatus)
    assert len({a.cooperative_id for a in applications}) == 3
    assert len(years) == 2  # across a Nowruz
    for application in applications:
        assert application.invoices
        for invoice in application.invoices:
            assert invoice_store().path(invoice.key).is_file()
        granted = db.session.scalar(
            select(LedgerTransaction).where(LedgerTransaction.key == f"subsidy:{application.id}")
        )
        assert (granted is not None) == application.status.is_granted
        if application.status is SubsidyStatus.PAID:
            assert application.payout_id and application.paid_at > application.decided_at
