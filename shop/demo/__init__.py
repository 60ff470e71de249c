"""Demo data: centres, cooperatives, producers with brands, listings with photos, and accounts.

Everything goes through the same services the web pages use (registration, applying and
approval, brands, listings and moderation), so photos are validated and turned into WebP
renditions exactly as uploads are. The words live in ``content``, the drawings in ``pictures``.

Besides the four accounts in ``DEMO_ACCOUNTS``, the other producers sign in as
``producer2@dastranj.test`` … ``producer13@dastranj.test`` and the other cooperatives' managers as
``manager2@dastranj.test`` and ``manager3@dastranj.test``, with the same password as the
account of their role.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

import click
from sqlalchemy import func, select

from shop.accounts.models import User
from shop.accounts.services import Registration, create_admin, hash_password, register_user
from shop.catalog.models import Category
from shop.catalog.seed import seed_categories
from shop.cooperatives.models import Centre, Cooperative, MembershipRequest, MembershipStatus
from shop.cooperatives.services import (
    CentreData,
    CooperativeData,
    create_centre,
    create_cooperative,
)
from shop.database import transaction, utcnow
from shop.demo import content, history, pictures
from shop.demo import orders as demo_orders
from shop.demo import subsidies as demo_subsidies
from shop.extensions import db
from shop.listings import variants
from shop.listings.models import DescriptionFormat, Product, ProductStatus
from shop.listings.services import ListingData, approve_revision, create_listing
from shop.media.services import add_image
from shop.media.uploads import Upload
from shop.orders.models import Order, OrderLine, Parcel
from shop.producers.models import Producer, ProducerStatus
from shop.producers.services import (
    Application,
    Brand,
    apply_as_producer,
    approve_producer,
    request_membership,
    update_brand,
)


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str


DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount("admin", "admin@dastranj.test", "admin-dastranj-1404"),
    DemoAccount("cooperative manager", "manager@dastranj.test", "manager-dastranj-1404"),
    DemoAccount("producer", "producer@dastranj.test", "producer-dastranj-1404"),
    DemoAccount("buyer", "buyer@dastranj.test", "buyer-dastranj-1404"),
]

#: Seeds every random choice (colours, dates), so each load draws the same demo.
SEED = "dastranj-demo"
#: Listings are published over this many past days, so "newest first" means something.
PUBLISHED_OVER_DAYS = 60


class DemoAlreadyLoaded(click.ClickException):
    """The demo accounts exist already; loading again would clash with them."""

    def __init__(self) -> None:
        super().__init__("The demo data is already loaded (a demo account exists).")


def _password(role: str) -> str:
    return next(account.password for account in DEMO_ACCOUNTS if account.role == role)


def database_is_empty() -> bool:
    """True when no account exists yet (a fresh database)."""
    return db.session.scalar(select(User.id).limit(1)) is None


def load_demo() -> str:
    """Load the whole demo, in one transaction; returns a one-line summary."""
    emails = [a.email for a in DEMO_ACCOUNTS] + [p.email for p in content.PRODUCERS]
    if db.session.scalar(select(User.id).where(User.email.in_(emails)).limit(1)) is not None:
        raise DemoAlreadyLoaded()
    with transaction():
        _load()
    return _summary()


def _load() -> None:
    seed_categories()  # adds only what is missing
    rng = random.Random(SEED)
    now = utcnow()

    admin, buyer_hash = _create_people()
    centres = {text.key: _create_centre(text) for text in content.CENTRES}
    cooperatives = {text.key: _create_cooperative(text) for text in content.COOPERATIVES}
    producers = {
        text.email: _create_producer(text, centres, cooperatives, now, rng)
        for text in content.PRODUCERS
    }
    categories = {c.slug: c for c in db.session.scalars(select(Category))}
    products = []
    for number, text in enumerate(content.LISTINGS, start=1):
        product = _create_listing(producers[text.producer], text, categories, number)
        revision = product.open_revision
        approve_revision(product, revision.id, revision.version, reviewer=admin)
        _give_options(product, text)
        products.append((product, text))
    _date_listings(products, now, rng)
    for number, text in enumerate(content.PENDING_LISTINGS, start=len(content.LISTINGS) + 1):
        _create_listing(producers[text.producer], text, categories, number)
    _apply_for_a_shop(content.APPLICANT, centres)
    member_email, cooperative_key = content.MEMBERSHIP_REQUEST
    request_membership(producers[member_email], cooperatives[cooperative_key].id)
    buyers = demo_orders.create_buyers(_password("buyer"), buyer_hash)
    demo_orders.give_shebas()
    history.create_history(admin, now, rng)
    history.record_training(now, rng)
    demo_orders.create_orders(buyers, now, rng)
    _published_before_sold(rng)
    demo_orders.pay_out(admin, now)
    demo_subsidies.approve_late(admin, now - timedelta(days=1))
    demo_orders.forget_demo_mail()


def _give_options(product: Product, text: content.ListingText) -> None:
    """Sizes, colours…: one variant per combination, with its stock and own price."""
    if not text.options:
        return
    variants.set_options(product, [variants.OptionKind(n, v) for n, v in text.options])
    variants.update_variants(
        product,
        {
            v.id: variants.VariantTerms(*text.variants.get(v.label, (0, None)))
            for v in product.offered_variants
        },
    )


def _create_people() -> tuple[User, str]:
    """The admin, the buyer, managers and producers; returns the admin and the hash of the
    buyers' shared password."""
    admin = DEMO_ACCOUNTS[0]
    admin_user = create_admin(admin.email, admin.password, content.ADMIN_NAME)
    buyer = next(a for a in DEMO_ACCOUNTS if a.role == "buyer")
    buyer_hash = hash_password(buyer.password)
    register_user(
        Registration(buyer.email, buyer.password, content.BUYER_NAME, locale="fa"),
        password_hash=buyer_hash,
    )
    # Accounts of one role share a documented password: hash it once (a strong hash is slow).
    manager_hash = hash_password(_password("cooperative manager"))
    for cooperative in content.COOPERATIVES:
        register_user(
            Registration(
                cooperative.manager_email,
                _password("cooperative manager"),
                cooperative.manager_name,
                locale="fa",
            ),
            password_hash=manager_hash,
        )
    producer_hash = hash_password(_password("producer"))
    for producer in [*content.PRODUCERS, content.APPLICANT]:
        register_user(
            Registration(producer.email, _password("producer"), producer.owner_name, locale="fa"),
            password_hash=producer_hash,
        )
    return admin_user, buyer_hash


def _create_centre(text: content.CentreText) -> Centre:
    return create_centre(
        CentreData(
            name=text.name,
            city=text.city,
            neighbourhood=text.neighbourhood,
            description=text.description,
        )
    )


def _create_cooperative(text: content.CooperativeText) -> Cooperative:
    cooperative = create_cooperative(
        CooperativeData(
            name=text.name,
            city=text.city,
            neighbourhood=text.neighbourhood,
            tagline=text.tagline,
            story=text.story,
            commission_bp=text.commission_bp,
            manager_email=text.manager_email,
            is_verified=text.is_verified,
        )
    )
    # Cooperatives have no brand service yet, so the pictures go through add_image directly.
    owner_id = cooperative.managers[0].id
    cooperative.logo = add_image(
        Upload(pictures.logo(text.color_primary, text.color_secondary, text.craft), "logo.png"),
        owner_id=owner_id,
    )
    cooperative.banner = add_image(
        Upload(
            pictures.banner(text.color_primary, text.color_secondary, text.craft, text.key),
            "banner.jpg",
        ),
        owner_id=owner_id,
    )
    cooperative.color_primary = text.color_primary
    cooperative.color_secondary = text.color_secondary
    return cooperative


def _user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


def _create_producer(
    text: content.ProducerText,
    centres: dict[str, Centre],
    cooperatives: dict[str, Cooperative],
    now: datetime,
    rng: random.Random,
) -> Producer:
    producer = apply_as_producer(
        _user(text.email),
        Application(
            shop_name=text.shop_name,
            city=text.city,
            neighbourhood=text.neighbourhood,
            centre_id=centres[text.centre].id if text.centre else None,
            cooperative_id=None,
        ),
    )
    approve_producer(producer)
    update_brand(
        producer,
        Brand(
            shop_name=text.shop_name,
            tagline=text.tagline,
            story=text.story,
            color_primary=text.color_primary,
            color_secondary=text.color_secondary,
            logo=Upload(
                pictures.logo(text.color_primary, text.color_secondary, text.craft), "logo.png"
            ),
            banner=Upload(
                pictures.banner(text.color_primary, text.color_secondary, text.craft, text.email),
                "banner.jpg",
            ),
        ),
    )
    if text.cooperative:
        # As if a manager had accepted the producer's request long ago.
        producer.cooperative_id = cooperatives[text.cooperative].id
    # Spread over the months of the demo's history, so that registrations have a trend.
    # Most opened before the demo's history starts, the rest during it: registrations have a
    # trend and the first months have pieces on sale.
    oldest = (history.MONTHS + 2) * 30
    early = rng.random() < 0.65
    joined = now - timedelta(
        days=rng.randint(oldest - 30, oldest) if early else rng.randint(PUBLISHED_OVER_DAYS, oldest)
    )
    producer.created_at = joined
    producer.approved_at = joined + timedelta(days=rng.randint(1, 6))
    return producer


def _create_listing(
    producer: Producer,
    text: content.ListingText,
    categories: dict[str, Category],
    number: int,
) -> Product:
    photos = pictures.product_photos(
        text.category, f"{SEED}-{number}", text.photos, kind=text.picture
    )
    return create_listing(
        producer,
        ListingData(
            title=text.title,
            description=text.description,
            description_format=(
                DescriptionFormat.MARKDOWN if text.is_markdown else DescriptionFormat.PLAIN
            ),
            category_id=categories[text.category].id,
            price=text.price,
            is_made_to_order=text.lead_time_days is not None,
            stock_quantity=text.stock,
            lead_time_days=text.lead_time_days,
            materials=text.materials,
            dimensions=text.dimensions,
            weight_grams=text.weight_grams,
        ),
        [
            Upload(data, f"{text.category}-{number}-{index}.jpg")
            for index, data in enumerate(photos, start=1)
        ],
    )


def _date_listings(
    products: list[tuple[Product, content.ListingText]], now: datetime, rng: random.Random
) -> None:
    """Spread publication between the producer's approval and now, and mark the featured
    pieces."""
    for product, text in products:
        since = product.producer.approved_at
        # most pieces go on sale soon after the shop opens
        published = since + (now - timedelta(minutes=30) - since) * rng.random() ** 2
        product.published_at = published
        product.created_at = published - timedelta(hours=rng.randint(2, 72))
        product.updated_at = published
        product.is_featured = text.is_featured


def _published_before_sold(rng: random.Random) -> None:
    """The hand-written orders chose their pieces without asking when they were published: a
    piece sold is published before its first sale, and its shop approved before that."""
    first_sold = dict(
        db.session.execute(
            select(OrderLine.product_id, func.min(Order.placed_at))
            .join(Parcel, Parcel.id == OrderLine.parcel_id)
            .join(Order, Order.id == Parcel.order_id)
            .group_by(OrderLine.product_id)
        ).all()
    )
    for product in db.session.scalars(select(Product).where(Product.id.in_(list(first_sold)))):
        sold = first_sold[product.id]
        if product.published_at >= sold:
            product.published_at = sold - timedelta(hours=rng.randint(24, 24 * 20))
            product.created_at = product.published_at - timedelta(hours=rng.randint(2, 72))
            product.updated_at = product.published_at
        producer = product.producer
        if producer.approved_at >= product.created_at:
            producer.approved_at = product.created_at - timedelta(hours=rng.randint(2, 48))
            producer.created_at = producer.approved_at - timedelta(days=rng.randint(1, 6))
    db.session.flush()


def _apply_for_a_shop(text: content.ProducerText, centres: dict[str, Centre]) -> Producer:
    return apply_as_producer(
        _user(text.email),
        Application(
            shop_name=text.shop_name,
            city=text.city,
            neighbourhood=text.neighbourhood,
            centre_id=centres[text.centre].id if text.centre else None,
            cooperative_id=None,
            certificate=Upload(pictures.certificate(text.email), "certificate.jpg"),
        ),
    )


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _summary() -> str:
    approved = _count(Producer, Producer.status == ProducerStatus.APPROVED)
    active = _count(Product, Product.status == ProductStatus.ACTIVE)
    applied = _count(Producer, Producer.status == ProducerStatus.APPLIED)
    pending = _count(Product, Product.status == ProductStatus.PENDING)
    requests = _count(MembershipRequest, MembershipRequest.status == MembershipStatus.PENDING)
    return (
        f"{_count(Centre)} centres, {_count(Cooperative)} cooperatives, "
        f"{_plural(approved, 'producer')}, {_plural(active, 'listing')}; awaiting review: "
        f"{_plural(applied, 'shop application')}, {_plural(pending, 'listing')}, "
        f"{_plural(requests, 'membership request')}; {_plural(_count(Order), 'order')}"
    )
