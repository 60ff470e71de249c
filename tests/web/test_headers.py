"""Response headers: caching of private pages, HSTS in production, and the fixed set on every
page (CSP, frame-ancestors, nosniff, Referrer-Policy)."""

from __future__ import annotations

import pytest

from shop.extensions import limiter
from tests.conftest import make_test_app
from tests.snapshots import dispose, restore

ONE_YEAR = 365 * 24 * 3600


@pytest.fixture
def catalogue(factory):
    admin = factory.admin()
    centre = factory.centre()
    cooperative = factory.cooperative()
    producer = factory.producer(centre=centre, cooperative=cooperative)
    product = factory.listing(producer)
    return {
        "admin": admin,
        "buyer": factory.user(email="buyer@example.com"),
        "centre": centre,
        "cooperative": cooperative,
        "producer": producer,
        "product": product,
    }


def _public_urls(catalogue) -> list[str]:
    return [
        "/",
        "/categories/kilim",
        f"/products/{catalogue['product'].id}",
        f"/shops/{catalogue['producer'].slug}",
        f"/cooperatives/{catalogue['cooperative'].slug}",
        f"/centres/{catalogue['centre'].slug}",
        "/search?q=گلیم",
        "/no-such-page",
    ]


def assert_fixed_headers(response) -> None:
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


# --- Cache-Control ----------------------------------------------------------------------------


def test_public_pages_for_a_visitor_can_be_cached(client, catalogue):
    for url in _public_urls(catalogue):
        # When a visitor who is not signed in opens a catalogue page
        response = client.get(url)

        # Then nothing on it is private: no no-store, no form token, no session cookie
        assert response.status_code in (200, 404), url
        assert "no-store" not in response.headers.get("Cache-Control", ""), url
        assert 'name="csrf_token"' not in response.text, url
        assert "Set-Cookie" not in response.headers, url
        assert_fixed_headers(response)


def test_public_product_page_offers_the_language_switch_without_a_token(client, catalogue):
    response = client.get(f"/products/{catalogue['product'].id}")

    assert response.text.count('action="/language/') == 2
    assert "csrf_token" not in response.text


@pytest.mark.parametrize("url", ["/login", "/register", "/login?next=/account"])
def test_pages_with_a_form_are_not_stored_even_for_a_visitor(client, ctx, url):
    response = client.get(url)

    assert response.status_code == 200
    assert 'name="csrf_token"' in response.text
    assert response.headers["Cache-Control"] == "no-store"
    assert_fixed_headers(response)


def test_a_refused_form_post_is_not_stored_either(client, ctx):
    response = client.post("/login", data={"email": "a@example.com", "password": "wrong pw"})

    assert response.status_code == 400
    assert response.headers["Cache-Control"] == "no-store"


def test_every_page_is_not_stored_for_a_signed_in_person(client, catalogue, login_as):
    login_as(catalogue["buyer"])

    for url in [*_public_urls(catalogue), "/account", "/account/password", "/producer/apply"]:
        response = client.get(url)

        assert response.status_code in (200, 404), url
        assert response.headers["Cache-Control"] == "no-store", url
        assert_fixed_headers(response)


def test_signed_in_pages_carry_the_language_switch_token(client, catalogue, login_as):
    login_as(catalogue["buyer"])

    html = client.get(f"/products/{catalogue['product'].id}").text

    # one token for each language form, one for the sign-out form, one for adding to the cart
    assert html.count('name="csrf_token"') == 4


def test_producer_and_admin_pages_are_not_stored(client, catalogue, login_as):
    login_as(catalogue["producer"].user)
    for url in ["/producer/", "/producer/brand", "/producer/cooperative", "/producer/listings/new"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
    client.post("/logout")

    login_as(catalogue["admin"])
    for url in [
        "/admin/",
        "/admin/producers",
        "/admin/listings",
        "/admin/centres",
        "/admin/cooperatives",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
        assert_fixed_headers(response)


def test_signed_in_json_is_not_stored_but_static_files_are_cacheable(client, catalogue, login_as):
    login_as(catalogue["buyer"])

    api = client.get("/api/v1/products")
    css = client.get("/static/css/app.css")

    assert api.headers["Cache-Control"] == "no-store"
    assert "no-store" not in css.headers.get("Cache-Control", "")
    css.close()


def test_anonymous_json_api_can_be_cached(client, catalogue):
    response = client.get("/api/v1/products")

    assert response.status_code == 200
    assert "Cache-Control" not in response.headers
    assert_fixed_headers(response)


# --- Strict-Transport-Security ----------------------------------------------------------------


@pytest.fixture
def production_app(tmp_path, base_snapshot, monkeypatch):
    """The app as production configures it (no TESTING, no SHOP_ENV), on the test database."""

    def build(**overrides):
        for name in ("SHOP_ENV", "SHOP_HSTS_SECONDS", "SHOP_HSTS_INCLUDE_SUBDOMAINS"):
            monkeypatch.delenv(name, raising=False)
        app = make_test_app(
            tmp_path,
            TESTING=False,
            SHOP_SEARCH_WORKER=False,
            SHOP_SEARCH_SYNC=True,
            **overrides,
        )
        restore(app, base_snapshot)
        limiter.reset()
        apps.append(app)
        return app

    apps = []
    yield build
    for app in apps:
        dispose(app)


def test_production_sends_hsts_for_a_year_with_subdomains(production_app):
    app = production_app()
    client = app.test_client()

    for url in ["/", "/login", "/healthz", "/no-such-page", "/static/css/app.css"]:
        response = client.get(url, base_url="https://shop.example")

        assert app.config["SHOP_ENV"] == "production"
        assert response.headers["Strict-Transport-Security"] == (
            f"max-age={ONE_YEAR}; includeSubDomains"
        ), url
        assert_fixed_headers(response)
        response.close()


def test_production_hsts_can_be_shortened_or_turned_off(production_app):
    shorter = production_app(SHOP_HSTS_SECONDS=600, SHOP_HSTS_INCLUDE_SUBDOMAINS=False)
    off = production_app(SHOP_HSTS_SECONDS=0)

    assert shorter.test_client().get("/healthz").headers["Strict-Transport-Security"] == (
        "max-age=600"
    )
    assert "Strict-Transport-Security" not in off.test_client().get("/healthz").headers


def test_testing_sends_no_hsts(client, ctx):
    for url in ["/", "/login", "/healthz"]:
        assert "Strict-Transport-Security" not in client.get(url).headers, url


def test_testing_sends_hsts_only_when_configured(tmp_path, base_snapshot):
    app = make_test_app(tmp_path, SHOP_HSTS_SECONDS=86400)
    restore(app, base_snapshot)
    try:
        response = app.test_client().get("/healthz")
    finally:
        dispose(app)

    assert response.headers["Strict-Transport-Security"] == "max-age=86400; includeSubDomains"
