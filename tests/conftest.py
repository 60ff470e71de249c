"""Fixtures: each test gets the session's app as if new, with a fast copy of a database that
was migrated and seeded once per session, its own upload folder and search index, and users of
each role.

Data that takes long to build (a search corpus of many listings) can be built once per module
with ``@cached_fixture`` and copied into each test that asks for it (see ``tests/snapshots.py``).
"""

from __future__ import annotations

import contextvars
import copy
import io
import os
import re
from contextlib import contextmanager

import pytest
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from PIL import Image as PILImage
from sqlalchemy import event, func, inspect, select

from shop import create_app
from shop.database import transaction
from shop.extensions import db, limiter
from shop.search.services import drain_outbox
from shop.search.whoosh_backend import WhooshBackend
from tests.snapshots import DATABASE_URL, build_base, dispose, release, restore

#: Fast hashing in tests; production's method is checked by its own test.
TEST_PASSWORD_METHOD = "pbkdf2:sha256:1000"
PASSWORD = "correct horse battery"
#: The factory's listing photos: as wide as the smallest rendition, so each is made once.
PHOTO_SIZE = (320, 240)


class CSRFClient(FlaskClient):
    """A test client that adds a valid CSRF token to form posts, as a browser's form would.

    Pass ``csrf=False`` to send a request without one.
    """

    def csrf_token(self) -> str:
        with self.session_transaction() as session:
            if "csrf_token" not in session:
                session["csrf_token"] = os.urandom(20).hex()
            raw = session["csrf_token"]
        secret = self.application.config["SECRET_KEY"]
        return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)

    def open(self, *args, csrf: bool = True, **kwargs):
        method = (kwargs.get("method") or "GET").upper()
        data = kwargs.get("data")
        if csrf and method == "POST" and (data is None or isinstance(data, dict)):
            data = dict(data or {})
            data.setdefault("csrf_token", self.csrf_token())
            kwargs["data"] = data
        # Run each request in an empty context, so it gets its own app context, `g` and database
        # session, as in production, even while a test holds an app context of its own.
        return contextvars.Context().run(super().open, *args, **kwargs)


def make_test_app(folder, **overrides):
    """An app whose database, uploads and index live in ``folder`` (or on DATABASE_URL)."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-000",
        "SQLALCHEMY_DATABASE_URI": DATABASE_URL or f"sqlite:///{folder / 'test.sqlite3'}",
        "SHOP_UPLOAD_DIR": str(folder / "uploads"),
        "SHOP_MAIL_FOLDER": str(folder / "mail"),
        "SHOP_PRIVATE_DIR": str(folder / "private"),
        "SHOP_SEARCH_INDEX_DIR": str(folder / "search-index"),
        "SHOP_PASSWORD_METHOD": TEST_PASSWORD_METHOD,
        # Test databases are thrown away: no need to wait for the disk at every commit.
        "SHOP_SQLITE_SYNCHRONOUS": "OFF",
    }
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = CSRFClient
    return app


@pytest.fixture(scope="session")
def shared_app(tmp_path_factory):
    """One app for the whole session (building one costs as much as many small tests), its
    configuration as created, and the database as the migrations leave it (categories seeded)
    with an empty index. Each test gets it back in that state: see ``app``."""
    folder = tmp_path_factory.mktemp("app")
    app = make_test_app(folder)
    config = copy.deepcopy(dict(app.config))
    try:
        yield app, config, build_base(app, folder / "snapshot")
    finally:
        dispose(app)


@pytest.fixture
def base_snapshot(shared_app):
    return shared_app[2]


@pytest.fixture
def app(tmp_path, shared_app):
    """The session's app as if new: its configuration as created (whatever the last test
    changed), uploads and index in this test's folder, and a fresh copy of the base database."""
    app, config, snapshot = shared_app
    release(app)
    app.config.clear()
    app.config.update(copy.deepcopy(config))
    app.config["SHOP_UPLOAD_DIR"] = str(tmp_path / "uploads")
    app.config["SHOP_SEARCH_INDEX_DIR"] = str(tmp_path / "search-index")
    app.config["SHOP_MAIL_FOLDER"] = str(tmp_path / "mail")
    app.config["SHOP_PRIVATE_DIR"] = str(tmp_path / "private")
    app.extensions["search"] = WhooshBackend(app.config["SHOP_SEARCH_INDEX_DIR"])
    restore(app, snapshot)
    limiter.reset()
    yield app
    release(app)


@pytest.fixture
def new_app(tmp_path, base_snapshot):
    """``new_app(**config)``: an app of its own, for a test that changes what the shared one
    must keep (its routes, or configuration read only when an app is created)."""
    made = []

    def build(**overrides):
        app = make_test_app(tmp_path / f"app-{len(made)}", **overrides)
        restore(app, base_snapshot)
        limiter.reset()
        made.append(app)
        return app

    yield build
    for app in made:
        dispose(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """An application context for calling services and queries directly."""
    with app.test_request_context():
        yield


# -- helpers shared by the tests ------------------------------------------------------------


def count(model, *where) -> int:
    """How many rows of ``model`` (matching ``where``) the database holds."""
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def by_variant(quantities: dict[int, int]) -> dict[int, int]:
    """Listing id → quantity, as most tests name what they buy, to the variant id → quantity
    a checkout takes: a listing without options is bought as its one variant. An id with no
    such listing is passed on as it is (an unknown variant)."""
    from shop.listings.models import ProductVariant

    found = dict(
        db.session.execute(
            select(ProductVariant.product_id, ProductVariant.id).where(
                ProductVariant.product_id.in_(quantities),
                ProductVariant.option1 == "",
                ProductVariant.option2 == "",
            )
        ).all()
    )
    return {found.get(product_id, product_id): q for product_id, q in quantities.items()}


def assert_session_clean() -> None:
    """A refused operation leaves nothing half-done in the session for a later commit."""
    assert not db.session.new
    assert not db.session.dirty
    assert not db.session.deleted


def reload(instance):
    """``instance`` as committed in the database: whatever was not committed is dropped."""
    identity = inspect(instance).identity
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(type(instance), identity)


def make_jpeg(width=640, height=480, colour=(180, 60, 40), exif=None, fmt="JPEG") -> bytes:
    image = PILImage.new("RGB", (width, height), colour)
    buffer = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


@pytest.fixture
def jpeg_bytes():
    return make_jpeg()


class Factory:
    """Builds users, centres, cooperatives, producers and listings through the services,
    each in its own committed transaction, as the pages would."""

    def __init__(self, app):
        self.app = app
        self.counter = 0

    def _next(self) -> int:
        self.counter += 1
        return self.counter

    def user(self, email=None, password=PASSWORD, name="کاربر", roles=()):
        from shop.accounts import services

        n = self._next()
        with transaction():
            user = services.register_user(
                services.Registration(
                    email=email or f"user{n}@example.com",
                    password=password,
                    display_name=f"{name} {n}",
                )
            )
            for role in roles:
                services.grant_role(user, role)
        return user

    def admin(self, email="admin@example.com"):
        from shop.accounts.models import Role

        return self.user(email=email, roles=[Role.ADMIN])

    def centre(self, name="مرکز رویش طلاب", city="مشهد"):
        from shop.cooperatives import services

        with transaction():
            return services.create_centre(
                services.CentreData(name=name, city=city, neighbourhood="طلاب")
            )

    def cooperative(self, name="تعاونی بانوان نقش", city="مشهد", manager=None):
        from shop.cooperatives import services

        with transaction():
            return services.create_cooperative(
                services.CooperativeData(
                    name=name, city=city, manager_email=manager.email if manager else None
                )
            )

    def producer(self, user=None, shop_name=None, approved=True, centre=None, cooperative=None):
        from shop.producers import services

        user = user or self.user()
        n = self._next()
        with transaction():
            producer = services.apply_as_producer(
                user,
                services.Application(
                    shop_name=shop_name or f"کارگاه {n}",
                    city="مشهد",
                    neighbourhood="طلاب",
                    centre_id=centre.id if centre else None,
                    cooperative_id=None,
                ),
            )
            if cooperative is not None:
                producer.cooperative_id = cooperative.id
            if approved:
                services.approve_producer(producer)
        drain_outbox()
        return producer

    def category(self, slug="kilim"):
        from shop.catalog.models import Category

        return db.session.scalar(select(Category).where(Category.slug == slug))

    def listing(
        self,
        producer,
        title="گلیم دستباف",
        price=1_200_000,
        photos=1,
        active=True,
        category="kilim",
        stock=3,
        made_to_order=False,
        lead_time=None,
    ):
        from shop.listings import services
        from shop.listings.models import DescriptionFormat
        from shop.media.uploads import Upload

        with transaction():
            product = services.create_listing(
                producer,
                services.ListingData(
                    title=title,
                    description="توضیح",
                    description_format=DescriptionFormat.PLAIN,
                    category_id=self.category(category).id,
                    price=price,
                    is_made_to_order=made_to_order,
                    stock_quantity=stock,
                    lead_time_days=lead_time,
                ),
                [Upload(make_jpeg(*PHOTO_SIZE), f"p{i}.jpg") for i in range(photos)],
            )
        if active:
            self.approve(product)
        drain_outbox()
        return product

    def approve(self, product):
        """Approve the listing's open revision, as an admin would from the queue."""
        from shop.listings import services

        with transaction():
            revision = product.open_revision
            services.approve_revision(product, revision.id, revision.version, reviewer=None)
        drain_outbox()


@pytest.fixture
def factory(app, ctx):
    return Factory(app)


def login(client, email, password=PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


@pytest.fixture
def login_as(client):
    def _login(user, password=PASSWORD):
        response = login(client, user.email, password)
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return client

    return _login


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """``with count_queries() as counter: ...`` counts SQL statements sent to the database."""

    @contextmanager
    def _count():
        counter = QueryCounter()
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)

    return _count


def form_errors(html: str) -> list[str]:
    return re.findall(r'class="field-error"[^>]*>([^<]+)<', html)


def upload_files(tmp_path) -> list:
    root = tmp_path / "uploads"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def approve_listing(product, reviewer=None):
    """Approve the listing's open revision as shown now (an admin approving from the queue)."""
    from shop.listings import services

    revision = product.open_revision
    with transaction():
        return services.approve_revision(product, revision.id, revision.version, reviewer)


def reject_listing(product, reason, reviewer=None):
    """Reject the listing's open revision as shown now, with ``reason``."""
    from shop.listings import services

    revision = product.open_revision
    with transaction():
        return services.reject_revision(product, revision.id, revision.version, reason, reviewer)


# -- payment providers: local fake servers that the real client code talks to ------------------

#: The webhook signing secret the fake Stripe's events are signed with.
STRIPE_TEST_SECRET = "whsec_test_secret_for_dastranj"


@pytest.fixture
def gateway(app):
    """A fake Zarinpal on 127.0.0.1, and the shop configured to pay through it."""
    from tests.payments.fake_zarinpal import FakeZarinpalServer

    with FakeZarinpalServer() as fake:
        app.config.update(
            SHOP_ZARINPAL_MERCHANT_ID=fake.merchant_id,
            SHOP_ZARINPAL_API_BASE=fake.url,
            SHOP_ZARINPAL_TIMEOUT=2,
        )
        yield fake


@pytest.fixture
def fake_stripe(app):
    """A fake Stripe on 127.0.0.1, and a shop in dollars configured to take cards through it."""
    from tests.payments.fake_stripe import FakeStripeServer

    with FakeStripeServer() as fake:
        app.config.update(
            SHOP_CURRENCY="USD",
            STRIPE_SECRET_KEY="sk_test_dastranj",
            STRIPE_WEBHOOK_SECRET=STRIPE_TEST_SECRET,
            STRIPE_API_BASE=fake.url,
        )
        yield fake
