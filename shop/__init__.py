"""Dastranj: a Persian-first marketplace for home-made handicrafts."""

from __future__ import annotations

import os

from flask import Flask

from shop.config import PROJECT_ROOT, load_config


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, errors, commands."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("SHOP_INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(load_config(app.instance_path, test_config))
    os.makedirs(app.instance_path, exist_ok=True)
    register_proxies(app)
    register_url_converters(app)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_security_headers(app)
    from shop.payments.stripe_checkout import check_at_start_up

    check_at_start_up(app)  # says why Stripe is configured but not offered
    return app


def register_proxies(app: Flask) -> None:
    hops = app.config["SHOP_TRUSTED_PROXIES"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Behind nginx: the client's address, scheme and host as the nearest proxy saw them, so
        # throttles key on visitors (not on the proxy) and absolute links use https.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_url_converters(app: Flask) -> None:
    from shop.web import BoundedIntegerConverter

    # Before any route is added: every ``<int:…>`` is bounded by the largest database id.
    app.url_map.converters["int"] = BoundedIntegerConverter


def register_extensions(app: Flask) -> None:
    from shop import models  # noqa: F401 - every table must be known before migrations run
    from shop.accounts.session import init_login
    from shop.database import configure_engine
    from shop.extensions import babel, csrf, db, limiter, migrate
    from shop.i18n import select_locale
    from shop.i18n.catalog import ensure_compiled
    from shop.mail.extension import init_mail
    from shop.orders.extension import init_orders
    from shop.search.extension import init_search

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    ensure_compiled()
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(PROJECT_ROOT / "shop" / "i18n" / "translations"),
    )
    init_login(app)
    with app.app_context():
        configure_engine(db.engine, app.config["SHOP_SQLITE_SYNCHRONOUS"])
    init_search(app)
    init_mail(app)
    init_orders(app)


def register_blueprints(app: Flask) -> None:
    from shop.accounts.views import bp as accounts
    from shop.admin.views import bp as admin
    from shop.api.views import bp as api
    from shop.audit.views import bp as audit
    from shop.cart.views import bp as cart
    from shop.catalog.views import bp as catalog
    from shop.cooperatives.views import bp as cooperatives
    from shop.i18n.views import bp as i18n
    from shop.ledger.views import bp as ledger
    from shop.listings.views import bp as listings
    from shop.media.views import bp as media
    from shop.orders.views import bp as checkout
    from shop.orders.views import producer_bp as parcels
    from shop.pages.views import bp as pages
    from shop.payments.views import bp as payments
    from shop.payouts.views import bp as payouts
    from shop.producers.views import bp as producers
    from shop.reports.impact_views import bp as impact
    from shop.reports.views import bp as reports
    from shop.search.views import bp as search
    from shop.subsidies.views import bp as subsidies

    for blueprint in (
        accounts,
        admin,
        api,
        audit,
        cart,
        catalog,
        checkout,
        cooperatives,
        i18n,
        impact,
        ledger,
        listings,
        media,
        pages,
        parcels,
        payments,
        payouts,
        producers,
        reports,
        search,
        subsidies,
    ):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from shop.errors import init_errors

    init_errors(app)


def register_template_helpers(app: Flask) -> None:
    from shop import i18n
    from shop.catalog.templating import init_templating

    i18n.init_app(app)
    init_templating(app)


def register_commands(app: Flask) -> None:
    from shop.cli import register

    register(app)


def register_security_headers(app: Flask) -> None:
    from flask import g
    from flask_login import current_user

    def policy() -> str:
        # A form sent to us may be answered with a redirect to a payment gateway's page:
        # browsers hold redirects after a form to form-action too, so its origin is allowed.
        from shop.payments.providers import redirect_origins

        targets = " ".join(["'self'", *redirect_origins()])
        return (
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            f"script-src 'self'; font-src 'self'; connect-src 'self'; form-action {targets}; "
            "frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
        )

    def transport_security() -> str | None:
        seconds = app.config["SHOP_HSTS_SECONDS"]
        if not seconds:
            return None
        subdomains = "; includeSubDomains" if app.config["SHOP_HSTS_INCLUDE_SUBDOMAINS"] else ""
        return f"max-age={seconds}{subdomains}"

    def is_private(response) -> bool:
        # A page that carries a CSRF token (flask_wtf keeps the one it generated in ``g``) or
        # was made for a signed-in person must never be kept by a browser or a shared cache.
        if app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in g:
            return True
        if g.get("shows_cart"):  # the header counted a visitor's cart: the page is theirs
            return True
        return response.mimetype in ("text/html", "application/json") and (
            current_user.is_authenticated
        )

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", policy())
        hsts = transport_security()
        if hsts:
            response.headers.setdefault("Strict-Transport-Security", hsts)
        if is_private(response):
            response.headers["Cache-Control"] = "no-store"
        return response
