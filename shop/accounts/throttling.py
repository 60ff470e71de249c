"""Limits on guessing passwords and on creating accounts (Flask-Limiter, shared store).

Sign-in failures are counted three ways, so that a guesser is stopped without handing them a
way to lock the owner out: per (e-mail, address) pair — the tight limit, which stops one
guesser and leaves the owner, at another address, free to sign in; per e-mail across all
addresses — a higher ceiling against guessing spread over many addresses; and per address —
one client trying many accounts. Only failed attempts count: a view calls ``record_failure()``
when a password was checked and was wrong.
"""

from __future__ import annotations

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user

from shop.accounts.models import email_key
from shop.extensions import limiter

SIGN_IN_THROTTLED = _l("Too many sign-in attempts. Please wait a few minutes and try again.")
REGISTER_THROTTLED = _l(
    "Too many accounts were registered from your connection. Please try again later."
)
PASSWORD_CHANGE_THROTTLED = _l(
    "Too many wrong current passwords. Please wait a few minutes and try again."
)


def record_failure() -> None:
    """Count this request against the failure limits of its view."""
    g.throttled_failure = True


def _failed(response) -> bool:
    return bool(g.get("throttled_failure"))


def client_address() -> str:
    """The client's address (behind ``SHOP_TRUSTED_PROXIES`` proxies, ProxyFix has already
    put the address the nearest proxy saw into ``remote_addr``)."""
    return (get_remote_address() or "unknown")[:64]


def _submitted_email() -> str:
    return email_key(request.form.get("email", ""))[:254]


def _pair_key() -> str:
    return f"login-pair:{_submitted_email()}|{client_address()}"


def _account_key() -> str:
    return f"login-account:{_submitted_email()}"


def _address_key() -> str:
    return f"login-address:{client_address()}"


def _user_key() -> str:
    return f"password-change:{current_user.id if current_user.is_authenticated else 'anonymous'}"


def _setting(name: str):
    return lambda: current_app.config[name]


def sign_in_limits(view):
    """The three failed-sign-in limits (pair, account, address) on the sign-in view."""
    for setting, key in (
        ("SHOP_LOGIN_LIMIT_ADDRESS", _address_key),
        ("SHOP_LOGIN_LIMIT_ACCOUNT", _account_key),
        ("SHOP_LOGIN_LIMIT_PAIR", _pair_key),
    ):
        view = limiter.limit(
            _setting(setting),
            key_func=key,
            methods=["POST"],
            deduct_when=_failed,
            error_message=SIGN_IN_THROTTLED,
        )(view)
    return view


def register_limit(view):
    """Registration attempts per address (each one may create an account or probe an e-mail)."""
    return limiter.limit(
        _setting("SHOP_REGISTER_LIMIT"),
        key_func=lambda: f"register:{client_address()}",
        methods=["POST"],
        error_message=REGISTER_THROTTLED,
    )(view)


def password_change_limit(view):
    """Wrong current passwords per signed-in user on the password-change form."""
    return limiter.limit(
        _setting("SHOP_PASSWORD_CHANGE_LIMIT"),
        key_func=_user_key,
        methods=["POST"],
        deduct_when=_failed,
        error_message=PASSWORD_CHANGE_THROTTLED,
    )(view)
