"""Registering, signing in and out, ?next= attacks, sessions and passwords (throttling:
test_throttling.py)."""

from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from shop.accounts.models import User
from shop.extensions import db
from tests.conftest import PASSWORD, form_errors


def _register(client, email="Leila@Example.com", password="a good long password", **extra):
    data = {"display_name": "لیلا", "email": email, "password": password, "confirm": password}
    data.update(extra)
    return client.post("/register", data=data)


def _user_count():
    return db.session.scalar(select(func.count(User.id)))


def test_register_creates_lower_case_account_and_signs_in(client, ctx):
    response = _register(client)

    assert response.status_code == 303
    user = db.session.scalar(select(User))
    assert user.email == "leila@example.com"
    assert user.password_hash.startswith("pbkdf2:sha256:1000$")  # the configured method
    assert client.get("/account").status_code == 200


def test_register_refuses_duplicate_email_in_other_case(client, factory):
    factory.user(email="leila@example.com")

    response = _register(client, email="LEILA@example.COM")

    assert response.status_code == 400
    assert _user_count() == 1
    assert any("ایمیل" in error or "e-mail" in error for error in form_errors(response.text))


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "not-an-email"), ("password", "short"), ("display_name", ""), ("phone", "abc")],
)
def test_register_shows_field_errors_and_creates_nothing(client, ctx, field, value):
    data = {
        "display_name": "لیلا",
        "email": "a@example.com",
        "password": "long enough pw",
        "confirm": "long enough pw",
        field: value,
    }
    if field == "password":
        data["confirm"] = value

    response = client.post("/register", data=data)

    assert response.status_code == 400
    assert form_errors(response.text), response.text[:2000]
    assert f'id="{field}-error"' in response.text
    assert _user_count() == 0


def test_register_accepts_persian_digits_in_phone(client, ctx):
    response = _register(client, phone="۰۹۱۲ ۳۴۵ ۶۷۸۹")

    assert response.status_code == 303
    assert db.session.scalar(select(User.phone)) == "0912 345 6789"


def test_login_with_email_in_any_case(client, factory):
    factory.user(email="maryam@example.com")

    response = client.post("/login", data={"email": "  MARYAM@example.com ", "password": PASSWORD})

    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_wrong_password_and_unknown_email_get_the_same_answer(client, factory):
    factory.user(email="maryam@example.com")

    wrong_password = client.post(
        "/login", data={"email": "maryam@example.com", "password": "nope-nope"}
    )
    unknown_email = client.post(
        "/login", data={"email": "nobody@example.com", "password": "nope-nope"}
    )

    assert wrong_password.status_code == unknown_email.status_code == 400
    assert form_errors(wrong_password.text) == form_errors(unknown_email.text)
    assert len(form_errors(wrong_password.text)) == 1


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/steal",
        "//evil.example/steal",
        "/\\evil.example",
        "\\\\evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "/%0d%0aLocation:%20https://evil.example",
        " https://evil.example",
        "evil.example",
    ],
)
def test_next_never_leaves_the_site(client, factory, target):
    user = factory.user()

    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "next": target}
    )

    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert not location.scheme and not location.netloc
    assert location.path.startswith("/") and not location.path.startswith("//")
    assert "\r" not in response.headers["Location"] and "\n" not in response.headers["Location"]


def test_next_inside_the_site_is_followed(client, factory):
    user = factory.user()

    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "next": "/account/password?x=1"}
    )

    assert response.headers["Location"] == "/account/password?x=1"


def test_login_page_keeps_next_from_query(client, ctx):
    response = client.get("/login?next=/account")

    assert 'name="next" type="hidden" value="/account"' in response.text


def test_session_is_renewed_at_login(client, factory):
    user = factory.user()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"

    client.post("/login", data={"email": user.email, "password": PASSWORD})

    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{user.id}:")


def test_old_session_cookie_is_dead_after_logout(app, client, factory):
    user = factory.user()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    stolen = client.get_cookie("session").value
    assert client.get("/account").status_code == 200

    client.post("/logout")
    replay = app.test_client()
    replay.set_cookie("session", stolen)

    assert replay.get("/account").status_code == 302


def test_logout_needs_post_and_csrf(client, factory):
    user = factory.user()
    client.post("/login", data={"email": user.email, "password": PASSWORD})

    assert client.get("/logout").status_code == 405
    assert client.post("/logout", csrf=False).status_code == 400
    assert client.get("/account").status_code == 200


def test_change_password(client, factory):
    user = factory.user()
    client.post("/login", data={"email": user.email, "password": PASSWORD})

    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a brand new secret",
            "confirm": "a brand new secret",
        },
    )

    assert response.status_code == 303
    assert client.get("/account").status_code == 200  # this session continues
    client.post("/logout")
    assert (
        client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 400
    )
    assert (
        client.post(
            "/login", data={"email": user.email, "password": "a brand new secret"}
        ).status_code
        == 303
    )


def test_change_password_refuses_wrong_current_password(client, factory):
    user = factory.user()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    before = db.session.scalar(select(User.password_hash).where(User.id == user.id))

    response = client.post(
        "/account/password",
        data={
            "current_password": "wrong one!",
            "new_password": "a brand new secret",
            "confirm": "a brand new secret",
        },
    )

    assert response.status_code == 400
    assert 'id="current_password-error"' in response.text
    db.session.expire_all()
    assert db.session.scalar(select(User.password_hash).where(User.id == user.id)) == before


def test_pages_for_signed_in_users_redirect_to_login_with_next(client, ctx):
    response = client.get("/producer/listings/new")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
