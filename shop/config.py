"""Configuration read from the environment (``SHOP_…`` variables, see .env.example)."""

from __future__ import annotations

import os
from pathlib import Path

#: SQLite's ``synchronous`` settings, from fastest to safest (``SHOP_SQLITE_SYNCHRONOUS``).
SQLITE_SYNCHRONOUS = ("OFF", "NORMAL", "FULL", "EXTRA")

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: OWASP's minimum for scrypt is N=2^17, r=8, p=1; Werkzeug's default (N=2^15) is below it.
PRODUCTION_PASSWORD_METHOD = "scrypt:131072:8:1"  # noqa: S105 - a method name


#: Used only when SHOP_ENV is development or testing and no key is given.
DEVELOPMENT_SECRET = "dev-only-not-secret"  # noqa: S105


class ConfigError(RuntimeError):
    """The configuration cannot run safely."""


def _env(name: str, default: str) -> str:
    """An environment setting; empty counts as unset (as in a copied .env.example)."""
    value = os.environ.get(name, "").strip()
    return value or default


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from exc


def _rate_limit(name: str, default: str) -> str:
    """A Flask-Limiter limit such as ``5 per 15 minutes``, checked now rather than at a login."""
    from limits import parse_many

    value = _env(name, default)
    try:
        parse_many(value)
    except ValueError as exc:
        raise ConfigError(
            f"{name} must be a rate limit like '5 per 15 minutes', not {value!r}"
        ) from exc
    return value


def load_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Build the Flask configuration from the environment, then apply ``overrides``."""
    env = _env("SHOP_ENV", "production").strip().lower()
    overrides = dict(overrides or {})
    testing = bool(overrides.get("TESTING")) or env == "testing"
    development = env == "development"
    relaxed = testing or development

    instance = Path(instance_path)
    default_db = f"sqlite:///{instance / 'dastranj.sqlite3'}"
    config = {
        "SHOP_ENV": "testing" if testing else env,
        "SECRET_KEY": _env("SHOP_SECRET_KEY", ""),
        "SQLALCHEMY_DATABASE_URI": _env("SHOP_DATABASE_URL", default_db),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        #: SQLite only: FULL waits for the disk at every commit (see shop.database).
        "SHOP_SQLITE_SYNCHRONOUS": _env("SHOP_SQLITE_SYNCHRONOUS", "FULL").upper(),
        "SQLALCHEMY_RECORD_QUERIES": False,
        "MAX_CONTENT_LENGTH": _int("SHOP_MAX_REQUEST_BYTES", 90 * 1024 * 1024),
        "SHOP_MAX_IMAGE_BYTES": _int("SHOP_MAX_IMAGE_BYTES", 10 * 1024 * 1024),
        "SHOP_MAX_IMAGE_PIXELS": _int("SHOP_MAX_IMAGE_PIXELS", 40_000_000),
        "SHOP_IMAGE_WIDTHS": (320, 800, 1600),
        "SHOP_UPLOAD_DIR": _env("SHOP_UPLOAD_DIR", str(PROJECT_ROOT / "uploads")),
        "SHOP_CURRENCY": _env("SHOP_CURRENCY", "IRR").upper(),
        "SHOP_DEFAULT_LOCALE": _env("SHOP_DEFAULT_LOCALE", "fa"),
        "SHOP_PASSWORD_METHOD": _env("SHOP_PASSWORD_METHOD", PRODUCTION_PASSWORD_METHOD),
        #: Failed sign-ins per (e-mail, client address): stops one guesser without locking out
        #: the owner, who signs in from another address.
        "SHOP_LOGIN_LIMIT_PAIR": _rate_limit("SHOP_LOGIN_LIMIT_PAIR", "5 per 15 minutes"),
        #: Failed sign-ins per e-mail from all addresses together (distributed guessing).
        "SHOP_LOGIN_LIMIT_ACCOUNT": _rate_limit("SHOP_LOGIN_LIMIT_ACCOUNT", "50 per hour"),
        #: Failed sign-ins per client address, whatever e-mail they name.
        "SHOP_LOGIN_LIMIT_ADDRESS": _rate_limit("SHOP_LOGIN_LIMIT_ADDRESS", "20 per 15 minutes"),
        #: How many proxies in front add to X-Forwarded-For (the client address is read there).
        "SHOP_TRUSTED_PROXIES": _int("SHOP_TRUSTED_PROXIES", 0),
        #: Registration attempts per client address.
        "SHOP_REGISTER_LIMIT": _rate_limit("SHOP_REGISTER_LIMIT", "10 per hour"),
        #: Wrong current passwords per signed-in user on the password-change form.
        "SHOP_PASSWORD_CHANGE_LIMIT": _rate_limit("SHOP_PASSWORD_CHANGE_LIMIT", "5 per 15 minutes"),
        "SHOP_PLATFORM_FEE_BP": _int("SHOP_PLATFORM_FEE_BP", 500),
        "SHOP_DEFAULT_COMMISSION_BP": _int("SHOP_DEFAULT_COMMISSION_BP", 300),
        #: Days after delivery before a sale's money can be paid out (returns come first).
        "SHOP_PAYOUT_HOLD_DAYS": _int("SHOP_PAYOUT_HOLD_DAYS", 7),
        #: The smallest available balance a payout batch pays, in minor units (rials).
        "SHOP_PAYOUT_MINIMUM": _int("SHOP_PAYOUT_MINIMUM", 1_000_000),
        #: Share of a cooperative's branding cost the programme pays, in basis points (60%).
        "SHOP_SUBSIDY_RATE_BP": _int("SHOP_SUBSIDY_RATE_BP", 6_000),
        #: The most one cooperative is granted in a Jalali year, in minor units
        #: (100,000,000 rials = 10,000,000 toman). An admin may change both at run time.
        "SHOP_SUBSIDY_CAP": _int("SHOP_SUBSIDY_CAP", 100_000_000),
        #: Where invoice files are kept: outside the public media folder.
        "SHOP_PRIVATE_DIR": _env("SHOP_PRIVATE_DIR", str(instance / "private")),
        #: Largest invoice file accepted, in bytes.
        "SHOP_MAX_INVOICE_BYTES": _int("SHOP_MAX_INVOICE_BYTES", 10 * 1024 * 1024),
        #: Seconds the public /impact page is kept before it is computed again.
        "SHOP_IMPACT_CACHE_SECONDS": _int("SHOP_IMPACT_CACHE_SECONDS", 600),
        #: Post for a parcel, in minor units, for producers who have not set their own rate.
        "SHOP_DEFAULT_POST_RATE": _int("SHOP_DEFAULT_POST_RATE", 800_000),
        #: E-mail: by SMTP when a server is set, else written to SHOP_MAIL_FOLDER.
        "SHOP_MAIL_SERVER": _env("SHOP_MAIL_SERVER", ""),
        "SHOP_MAIL_PORT": _int("SHOP_MAIL_PORT", 587),
        "SHOP_MAIL_USE_TLS": _bool(os.environ.get("SHOP_MAIL_USE_TLS"), True),
        "SHOP_MAIL_USERNAME": _env("SHOP_MAIL_USERNAME", ""),
        "SHOP_MAIL_PASSWORD": _env("SHOP_MAIL_PASSWORD", ""),
        "SHOP_MAIL_SENDER": _env("SHOP_MAIL_SENDER", "Dastranj <no-reply@dastranj.test>"),
        "SHOP_MAIL_FOLDER": _env("SHOP_MAIL_FOLDER", str(instance / "mail")),
        #: Send inside the request that committed (tests) instead of after its response.
        "SHOP_MAIL_SYNC": _bool(os.environ.get("SHOP_MAIL_SYNC"), testing),
        #: A background thread per process that expires unpaid orders (off in tests).
        "SHOP_ORDERS_EXPIRY_WORKER": _bool(
            os.environ.get("SHOP_ORDERS_EXPIRY_WORKER"), not testing
        ),
        #: How long an order awaiting an online payment holds its stock.
        "SHOP_PAYMENT_TIMEOUT_MINUTES": _int("SHOP_PAYMENT_TIMEOUT_MINUTES", 30),
        #: Days after delivery a buyer may ask for a return.
        "SHOP_RETURN_DAYS": _int("SHOP_RETURN_DAYS", 7),
        #: Zarinpal (toman shops): offered when a merchant id is set; the sandbox for testing.
        "SHOP_ZARINPAL_MERCHANT_ID": _env("SHOP_ZARINPAL_MERCHANT_ID", ""),
        "SHOP_ZARINPAL_SANDBOX": _bool(os.environ.get("SHOP_ZARINPAL_SANDBOX"), False),
        #: Another address for the gateway's API and pages (tests point it at a fake server).
        "SHOP_ZARINPAL_API_BASE": _env("SHOP_ZARINPAL_API_BASE", ""),
        "SHOP_ZARINPAL_TIMEOUT": _int("SHOP_ZARINPAL_TIMEOUT", 10),
        #: Stripe (shops in a currency it accepts, not IRR): offered with both secrets set.
        "STRIPE_SECRET_KEY": _env("STRIPE_SECRET_KEY", ""),
        "STRIPE_WEBHOOK_SECRET": _env("STRIPE_WEBHOOK_SECRET", ""),
        #: Another address for Stripe's API (tests point it at a fake server).
        "STRIPE_API_BASE": _env("STRIPE_API_BASE", ""),
        "SHOP_PAGE_SIZE": _int("SHOP_PAGE_SIZE", 24),
        #: Where buyers and sellers write for help (the contact page and the footer).
        "SHOP_SUPPORT_EMAIL": _env("SHOP_SUPPORT_EMAIL", "support@dastranj.test"),
        "SHOP_SUPPORT_PHONE": _env("SHOP_SUPPORT_PHONE", ""),
        "SHOP_SEARCH_INDEX_DIR": _env("SHOP_SEARCH_INDEX_DIR", str(instance / "search-index")),
        #: Apply search changes inside the request that made them (tests) instead of after it.
        "SHOP_SEARCH_SYNC": _bool(os.environ.get("SHOP_SEARCH_SYNC"), testing),
        #: A background thread per process that applies changes made by other processes.
        "SHOP_SEARCH_WORKER": _bool(os.environ.get("SHOP_SEARCH_WORKER"), not testing),
        #: Processes that build the index in ``shop search reindex`` (1 in tests: no forks).
        "SHOP_SEARCH_BUILD_PROCESSES": _int(
            "SHOP_SEARCH_BUILD_PROCESSES", 1 if testing else min(os.cpu_count() or 1, 4)
        ),
        "RATELIMIT_STORAGE_URI": _env("SHOP_RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_STRATEGY": "moving-window",
        "SESSION_COOKIE_SECURE": _bool(os.environ.get("SHOP_SECURE_COOKIES"), not relaxed),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool(os.environ.get("SHOP_SECURE_COOKIES"), not relaxed),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": _int("SHOP_SESSION_SECONDS", 14 * 24 * 3600),
        #: Strict-Transport-Security max-age; 0 sends no header (the default outside production).
        "SHOP_HSTS_SECONDS": _int("SHOP_HSTS_SECONDS", 0 if relaxed else 365 * 24 * 3600),
        "SHOP_HSTS_INCLUDE_SUBDOMAINS": _bool(os.environ.get("SHOP_HSTS_INCLUDE_SUBDOMAINS"), True),
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "fa",
        "BABEL_DEFAULT_TIMEZONE": _env("SHOP_TIMEZONE", "Asia/Tehran"),
        "PREFERRED_URL_SCHEME": "http" if relaxed else "https",
    }
    if relaxed and not config["SECRET_KEY"]:
        config["SECRET_KEY"] = DEVELOPMENT_SECRET
    config.update(overrides)

    if not config["SECRET_KEY"] or (config["SECRET_KEY"] == DEVELOPMENT_SECRET and not relaxed):
        raise ConfigError(
            "SHOP_SECRET_KEY must be set to a long random value outside development and tests "
            '(for example: python -c "import secrets; print(secrets.token_hex(32))").'
        )
    if not relaxed and len(config["SECRET_KEY"]) < 32:
        raise ConfigError("SHOP_SECRET_KEY must be at least 32 characters long.")
    if config["SHOP_SQLITE_SYNCHRONOUS"] not in SQLITE_SYNCHRONOUS:
        raise ConfigError(
            f"SHOP_SQLITE_SYNCHRONOUS must be one of {', '.join(SQLITE_SYNCHRONOUS)}, "
            f"not {config['SHOP_SQLITE_SYNCHRONOUS']!r}."
        )
    if config["SHOP_SEARCH_BUILD_PROCESSES"] < 1:
        raise ConfigError("SHOP_SEARCH_BUILD_PROCESSES must be 1 or more.")
    if config["SHOP_TRUSTED_PROXIES"] < 0:
        raise ConfigError("SHOP_TRUSTED_PROXIES must be 0 (no proxy) or more.")
    if config["SHOP_HSTS_SECONDS"] < 0:
        raise ConfigError("SHOP_HSTS_SECONDS must be 0 (no header) or more.")
    return config
