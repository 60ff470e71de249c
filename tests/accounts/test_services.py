"""shop/accounts/services.py: registering, signing in, passwords, roles."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from shop.accounts import services
from shop.accounts.models import Role, User, UserRole
from shop.database import transaction
from shop.extensions import db
from tests.conftest import PASSWORD, TEST_PASSWORD_METHOD


def user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def role_rows(user: User) -> list[Role]:
    return list(db.session.scalars(select(UserRole.role).where(UserRole.user_id == user.id)))


def registration(email="Maryam.Ahmadi@Example.COM", password=PASSWORD, **kwargs):
    return services.Registration(
        email=email, password=password, display_name=kwargs.pop("display_name", " مریم "), **kwargs
    )


# --- register_user ----------------------------------------------------------------------------


def test_register_user_stores_a_lower_case_email_and_a_hash(ctx):
    with transaction():
        user = services.register_user(registration(phone=" 09120000000 ", locale="fa"))

    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert stored.email == "maryam.ahmadi@example.com"
    assert stored.display_name == "مریم"
    assert stored.phone == "09120000000"
    assert stored.locale == "fa"
    assert stored.password_hash.startswith(TEST_PASSWORD_METHOD + "$")
    assert PASSWORD not in stored.password_hash
    assert stored.roles == {Role.BUYER}
    assert stored.is_active


def test_register_user_strips_spaces_around_the_email(ctx):
    with transaction():
        user = services.register_user(registration(email="  ali@example.com "))

    assert user.email == "ali@example.com"


def test_an_empty_phone_is_stored_as_none(ctx):
    with transaction():
        user = services.register_user(registration(phone="   "))

    assert user.phone is None


def test_a_duplicate_email_in_other_case_is_refused(ctx):
    # Given an account for maryam.ahmadi@example.com
    with transaction():
        first = services.register_user(registration())
    hash_before = first.password_hash

    # When someone registers the same address in capitals
    with pytest.raises(services.EmailTaken) as refused, transaction():
        services.register_user(
            registration(email="MARYAM.AHMADI@EXAMPLE.COM", password="another password")
        )

    # Then it is refused for the e-mail field and nothing changed
    assert refused.value.field == "email"
    db.session.rollback()
    assert user_count() == 1
    assert db.session.get(User, first.id).password_hash == hash_before


def test_find_user_by_email_ignores_case(ctx):
    with transaction():
        user = services.register_user(registration())

    assert services.find_user_by_email(" MARYAM.ahmadi@example.com") is user
    assert services.find_user_by_email("nobody@example.com") is None


# --- authenticate -----------------------------------------------------------------------------


def test_authenticate_with_the_right_password_returns_the_user(ctx):
    with transaction():
        user = services.register_user(registration())
    assert user.last_login_at is None

    with transaction():
        signed_in = services.authenticate("Maryam.Ahmadi@example.com", PASSWORD)

    assert signed_in is user
    assert user.last_login_at is not None


def test_authenticate_with_a_wrong_password_returns_none(ctx):
    with transaction():
        user = services.register_user(registration())

    assert services.authenticate("maryam.ahmadi@example.com", PASSWORD + "x") is None
    assert services.authenticate("maryam.ahmadi@example.com", "") is None
    assert user.last_login_at is None


def test_authenticate_an_unknown_email_returns_none(ctx):
    with transaction():
        services.register_user(registration())

    assert services.authenticate("someone.else@example.com", PASSWORD) is None


def test_authenticate_refuses_a_deactivated_account(ctx):
    with transaction():
        user = services.register_user(registration())
    user.is_active_account = False
    db.session.commit()

    assert services.authenticate("maryam.ahmadi@example.com", PASSWORD) is None
    assert user.last_login_at is None


def test_authenticate_upgrades_an_old_work_factor(app, ctx):
    # Given a password hashed with an older, cheaper method
    with transaction():
        user = services.register_user(registration())
    app.config["SHOP_PASSWORD_METHOD"] = "pbkdf2:sha256:2000"

    # When the user signs in
    assert services.authenticate("maryam.ahmadi@example.com", PASSWORD) is user

    # Then the hash is renewed with the configured method and still matches
    assert user.password_hash.startswith("pbkdf2:sha256:2000$")
    assert services.authenticate("maryam.ahmadi@example.com", PASSWORD) is user


# --- sessions and passwords -------------------------------------------------------------------


def test_end_sessions_replaces_the_session_token(ctx):
    with transaction():
        user = services.register_user(registration())
    token, login_id = user.session_token, user.get_id()

    with transaction():
        services.end_sessions(user)

    db.session.expire_all()
    assert db.session.get(User, user.id).session_token != token
    assert user.get_id() != login_id
    assert user.get_id() == f"{user.id}:{user.session_token}"


def test_change_password_with_the_right_current_password(ctx):
    with transaction():
        user = services.register_user(registration())
    token = user.session_token

    with transaction():
        services.change_password(user, PASSWORD, "a brand new password")

    assert services.authenticate("maryam.ahmadi@example.com", "a brand new password") is user
    assert services.authenticate("maryam.ahmadi@example.com", PASSWORD) is None
    assert user.session_token != token


def test_change_password_with_a_wrong_current_password_changes_nothing(ctx):
    with transaction():
        user = services.register_user(registration())
    hash_before, token = user.password_hash, user.session_token

    with pytest.raises(services.WrongPassword) as refused, transaction():
        services.change_password(user, "not my password", "a brand new password")

    assert refused.value.field == "current_password"
    db.session.rollback()
    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert stored.password_hash == hash_before
    assert stored.session_token == token
    assert services.authenticate("maryam.ahmadi@example.com", PASSWORD) is stored


# --- roles ------------------------------------------------------------------------------------


def test_grant_role_is_idempotent(ctx):
    with transaction():
        user = services.register_user(registration())

    with transaction():
        services.grant_role(user, Role.PRODUCER)
    with transaction():
        services.grant_role(user, Role.PRODUCER)
    db.session.commit()

    assert role_rows(user) == [Role.PRODUCER]
    assert user.roles == {Role.BUYER, Role.PRODUCER}
    assert user.has_role(Role.PRODUCER)


def test_grant_role_buyer_adds_no_row(ctx):
    with transaction():
        user = services.register_user(registration())

    with transaction():
        services.grant_role(user, Role.BUYER)
    db.session.commit()

    assert role_rows(user) == []
    assert user.roles == {Role.BUYER}


def test_revoke_role_removes_only_that_role(ctx):
    with transaction():
        user = services.register_user(registration())
    with transaction():
        services.grant_role(user, Role.PRODUCER)
    with transaction():
        services.grant_role(user, Role.ADMIN)
    db.session.commit()

    with transaction():
        services.revoke_role(user, Role.PRODUCER)
    db.session.commit()

    assert role_rows(user) == [Role.ADMIN]
    assert user.is_admin


# --- create_admin -----------------------------------------------------------------------------


def test_create_admin_creates_an_admin_account(ctx):
    with transaction():
        user = services.create_admin("Boss@Example.com", "admin password", "مدیر")

    assert user.email == "boss@example.com"
    assert user.display_name == "مدیر"
    assert user.is_admin
    assert services.authenticate("boss@example.com", "admin password") is user


def test_create_admin_promotes_an_existing_account_and_sets_its_password(ctx):
    with transaction():
        existing = services.register_user(registration())

    with transaction():
        user = services.create_admin("maryam.ahmadi@example.com", "admin password")

    assert user is existing
    assert user_count() == 1
    assert role_rows(user) == [Role.ADMIN]
    assert user.display_name == "مریم"
    assert services.authenticate("maryam.ahmadi@example.com", "admin password") is user
