"""Throttling: failed sign-ins per (account, address), per account and per address;
registrations per address; wrong current passwords per user. Only failures count, and an
attacker's failures never lock the owner out from the owner's own address."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from shop.accounts.models import User
from shop.extensions import db
from tests.conftest import PASSWORD, Factory, form_errors

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"
SIGN_IN_THROTTLED_FA = "تلاش‌های زیادی برای ورود انجام شده است."
SIGN_IN_THROTTLED_EN = "Too many sign-in attempts. Please wait a few minutes and try again."


def _login(client, email, password, address):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_overrides={"REMOTE_ADDR": address},
    )


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def _fail(client, email, address, times):
    for _ in range(times):
        response = _login(client, email, "wrong password", address)
        assert response.status_code == 400, response.text[:300]


@pytest.fixture
def owner(factory):
    return factory.user(email="admin@example.com")


# --- sign-in: the (account, address) pair -------------------------------------------------


def test_five_failures_block_that_account_from_that_address(client, owner):
    # Given an attacker who guessed wrong 5 times from their address
    _fail(client, owner.email, ATTACKER, 5)

    # When they try again, even with the right password
    response = _login(client, "Admin@Example.com", PASSWORD, ATTACKER)

    # Then they are refused with a clear Persian message and are not signed in
    assert response.status_code == 429
    assert SIGN_IN_THROTTLED_FA in response.text
    assert '<html lang="fa" dir="rtl">' in response.text
    assert not _signed_in(client)


def test_four_failures_do_not_block(client, owner):
    _fail(client, owner.email, ATTACKER, 4)

    assert _login(client, owner.email, PASSWORD, ATTACKER).status_code == 303


def test_the_owner_signs_in_from_another_address_after_an_attacker_used_up_the_pair(
    app, client, owner
):
    # Given an attacker who exhausted the pair limit for the owner's account
    _fail(client, owner.email, ATTACKER, 5)
    assert _login(client, owner.email, "sixth guess", ATTACKER).status_code == 429

    # When the owner signs in from their own address with the right password
    own = app.test_client()
    response = _login(own, owner.email, PASSWORD, OWNER)

    # Then they get in
    assert response.status_code == 303
    assert _signed_in(own)


def test_the_pair_limit_does_not_touch_other_accounts_at_that_address(client, factory, owner):
    other = factory.user(email="other@example.com")
    _fail(client, owner.email, ATTACKER, 5)

    assert _login(client, other.email, PASSWORD, ATTACKER).status_code == 303


def test_the_throttle_message_is_in_english_for_english_visitors(client, owner):
    client.set_cookie("lang", "en")
    _fail(client, owner.email, ATTACKER, 5)

    response = _login(client, owner.email, PASSWORD, ATTACKER)

    assert response.status_code == 429
    assert SIGN_IN_THROTTLED_EN in response.text
    assert '<html lang="en" dir="ltr">' in response.text


# --- sign-in: the per-account ceiling and the per-address limit -----------------------------


def test_failures_spread_over_many_addresses_reach_the_account_ceiling(app, client, owner):
    # Given 49 failures for one account, from 49 addresses (each far below its pair limit)
    for n in range(49):
        _fail(client, owner.email, f"10.0.{n}.1", 1)
    own = app.test_client()
    assert _login(own, owner.email, PASSWORD, OWNER).status_code == 303  # not yet at 50
    own.post("/logout")

    # When the 50th failure arrives from yet another address
    _fail(client, owner.email, "10.1.0.1", 1)

    # Then the account refuses sign-ins from every address for now, the owner's included
    assert _login(own, owner.email, PASSWORD, OWNER).status_code == 429
    assert _login(client, owner.email, PASSWORD, "10.2.0.1").status_code == 429
    assert not _signed_in(own)


def test_one_address_trying_many_accounts_is_stopped(app, client, factory):
    user = factory.user(email="fresh@example.com")
    for n in range(20):
        _fail(client, f"someone{n}@example.com", ATTACKER, 1)

    refused = _login(client, user.email, PASSWORD, ATTACKER)
    elsewhere = _login(app.test_client(), user.email, PASSWORD, OWNER)

    assert refused.status_code == 429
    assert SIGN_IN_THROTTLED_FA in refused.text
    assert elsewhere.status_code == 303


def test_successful_sign_ins_do_not_count(client, owner):
    for _ in range(8):
        assert _login(client, owner.email, PASSWORD, ATTACKER).status_code == 303
        client.post("/logout", environ_overrides={"REMOTE_ADDR": ATTACKER})


def test_forms_refused_before_a_password_is_checked_do_not_count(client, owner):
    for _ in range(8):
        response = client.post(
            "/login",
            data={"email": owner.email, "password": ""},
            environ_overrides={"REMOTE_ADDR": ATTACKER},
        )
        assert response.status_code == 400

    assert _login(client, owner.email, PASSWORD, ATTACKER).status_code == 303


def test_a_get_of_the_sign_in_page_is_never_throttled(client, owner):
    _fail(client, owner.email, ATTACKER, 5)

    for _ in range(30):
        response = client.get("/login", environ_overrides={"REMOTE_ADDR": ATTACKER})
        assert response.status_code == 200


def test_the_limits_come_from_the_settings(new_app):
    app = new_app(
        SHOP_LOGIN_LIMIT_PAIR="2 per 15 minutes",
        SHOP_LOGIN_LIMIT_ACCOUNT="3 per hour",
        SHOP_LOGIN_LIMIT_ADDRESS="100 per hour",
    )
    with app.test_request_context():
        Factory(app).user(email="admin@example.com")
    client = app.test_client()

    _fail(client, "admin@example.com", ATTACKER, 2)
    assert _login(client, "admin@example.com", PASSWORD, ATTACKER).status_code == 429  # pair
    _fail(client, "admin@example.com", "10.0.0.9", 1)
    assert _login(client, "admin@example.com", PASSWORD, OWNER).status_code == 429  # account


# --- registration -------------------------------------------------------------------------


def _register(app, email, address):
    return app.test_client().post(
        "/register",
        data={
            "display_name": "لیلا",
            "email": email,
            "password": "a good long password",
            "confirm": "a good long password",
        },
        environ_overrides={"REMOTE_ADDR": address},
    )


def _user_count() -> int:
    return db.session.scalar(select(func.count(User.id)))


def test_registration_is_limited_per_address(app, ctx):
    # Given 10 registrations from one address (one of them refused: every attempt counts)
    for n in range(9):
        assert _register(app, f"user{n}@example.com", ATTACKER).status_code == 303
    assert _register(app, "user0@example.com", ATTACKER).status_code == 400
    assert _user_count() == 9

    # When an 11th arrives from that address
    refused = _register(app, "user99@example.com", ATTACKER)

    # Then it is refused with a clear message and creates nothing; other addresses still can
    assert refused.status_code == 429
    assert '<html lang="fa" dir="rtl">' in refused.text
    assert _user_count() == 9
    assert _register(app, "user99@example.com", OWNER).status_code == 303
    assert _user_count() == 10


def test_the_registration_throttle_message_in_english(app, ctx):
    for n in range(10):
        _register(app, f"user{n}@example.com", ATTACKER)
    client = app.test_client()
    client.set_cookie("lang", "en")

    response = client.post(
        "/register",
        data={"display_name": "x", "email": "late@example.com"},
        environ_overrides={"REMOTE_ADDR": ATTACKER},
    )

    assert response.status_code == 429
    assert (
        "Too many accounts were registered from your connection. Please try again later."
        in response.text
    )


def test_opening_the_registration_page_is_not_limited(client, ctx):
    for _ in range(15):
        response = client.get("/register", environ_overrides={"REMOTE_ADDR": ATTACKER})
        assert response.status_code == 200


# --- password change ------------------------------------------------------------------------


def _change(client, current, new="a brand new secret", confirm=None):
    return client.post(
        "/account/password",
        data={"current_password": current, "new_password": new, "confirm": confirm or new},
    )


def _password_hash(user_id) -> str:
    db.session.expire_all()
    return db.session.scalar(select(User.password_hash).where(User.id == user_id))


def test_wrong_current_passwords_are_limited_per_user(app, client, factory, login_as):
    # Given a signed-in user (perhaps a stolen session) who guessed the current password 5 times
    user = factory.user()
    other = factory.user()
    login_as(user)
    before = _password_hash(user.id)
    for _ in range(5):
        response = _change(client, "a wrong guess")
        assert response.status_code == 400
        assert 'id="current_password-error"' in response.text

    # When they try again, even with the right one
    response = _change(client, PASSWORD)

    # Then it is refused, and the password is unchanged
    assert response.status_code == 429
    assert '<html lang="fa" dir="rtl">' in response.text
    assert _password_hash(user.id) == before
    # another user's form is not affected
    other_client = app.test_client()
    assert _login(other_client, other.email, PASSWORD, OWNER).status_code == 303
    assert _change(other_client, PASSWORD).status_code == 303


def test_the_password_change_throttle_message_in_english(client, factory, login_as):
    user = factory.user()
    login_as(user)
    client.set_cookie("lang", "en")
    for _ in range(5):
        _change(client, "a wrong guess")

    response = _change(client, PASSWORD)

    assert response.status_code == 429
    assert (
        "Too many wrong current passwords. Please wait a few minutes and try again."
        in response.text
    )


def test_only_wrong_current_passwords_count(client, factory, login_as):
    user = factory.user()
    login_as(user)
    for _ in range(8):
        response = _change(client, PASSWORD, confirm="not the same password")
        assert response.status_code == 400
        assert form_errors(response.text)

    assert _change(client, PASSWORD).status_code == 303


# --- the client address behind a proxy ------------------------------------------------------

PROXY = "127.0.0.1"


def _login_via_proxy(client, email, password, forwarded_for):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        headers={"X-Forwarded-For": forwarded_for},
        environ_overrides={"REMOTE_ADDR": PROXY},
    )


def test_behind_a_trusted_proxy_each_client_has_its_own_address(new_app):
    # Given the app behind one nginx, which appends the client's address to X-Forwarded-For
    app = new_app(SHOP_TRUSTED_PROXIES=1)
    with app.test_request_context():
        Factory(app).user(email="admin@example.com")
    attacker = app.test_client()
    for _ in range(5):
        # a client may send its own X-Forwarded-For: only the entry nginx added is believed
        forged = f"{OWNER}, {ATTACKER}"
        assert _login_via_proxy(attacker, "admin@example.com", "wrong", forged).status_code == 400
    assert _login_via_proxy(attacker, "admin@example.com", PASSWORD, ATTACKER).status_code == 429

    # When the owner signs in through the same proxy
    response = _login_via_proxy(app.test_client(), "admin@example.com", PASSWORD, OWNER)

    # Then they are not taken for the attacker
    assert response.status_code == 303


def test_without_trusted_proxies_x_forwarded_for_is_ignored(client, owner):
    for n in range(5):
        response = _login_via_proxy(client, owner.email, "wrong", f"10.9.{n}.1")
        assert response.status_code == 400

    # every attempt came from the proxy's address, whatever the header claimed
    assert _login_via_proxy(client, owner.email, PASSWORD, OWNER).status_code == 429
