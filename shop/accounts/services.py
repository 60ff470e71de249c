"""Account operations: registering, signing in, changing passwords and granting roles."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from shop.accounts.models import Role, User, UserRole, email_key, new_session_token
from shop.database import utcnow
from shop.errors import DomainError
from shop.extensions import db


class EmailTaken(DomainError):
    field = "email"
    message = _l("This e-mail address cannot be used. If it is yours, sign in instead.")


class WrongPassword(DomainError):
    field = "current_password"
    message = _l("The current password is not correct.")


@dataclass(frozen=True)
class Registration:
    email: str
    password: str
    display_name: str
    phone: str | None = None
    locale: str | None = None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["SHOP_PASSWORD_METHOD"])


_dummy_hash: dict[str, str] = {}


def _equal_work_hash() -> str:
    """A hash of the configured cost, so an unknown e-mail costs as much time as a known one."""
    method = current_app.config["SHOP_PASSWORD_METHOD"]
    if method not in _dummy_hash:
        _dummy_hash[method] = generate_password_hash("not-a-password", method=method)
    return _dummy_hash[method]


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email_key(email)))


def register_user(data: Registration, password_hash: str | None = None) -> User:
    """Create a buyer account. Raises ``EmailTaken``.

    ``password_hash`` may carry a hash of ``data.password`` made earlier (bulk loads reuse one).
    """
    if find_user_by_email(data.email) is not None:
        raise EmailTaken()
    user = User(
        email=email_key(data.email),
        password_hash=password_hash or hash_password(data.password),
        display_name=data.display_name.strip(),
        phone=(data.phone or "").strip() or None,
        locale=data.locale,
    )
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as exc:
        # Registered by another request between the check and the insert: the unique
        # constraint decides, and the answer is the same as for any taken address.
        raise EmailTaken() from exc
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user whose e-mail and password match, else None (same work either way)."""
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_equal_work_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    if user.password_hash.split("$", 1)[0] != current_app.config["SHOP_PASSWORD_METHOD"]:
        user.password_hash = hash_password(password)  # upgrade an old work factor on login
    user.last_login_at = utcnow()
    return user


def end_sessions(user: User) -> None:
    """Invalidate every login cookie of ``user`` (used at logout)."""
    user.session_token = new_session_token()


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Replace the password and end other sessions. Raises ``WrongPassword``."""
    if not check_password_hash(user.password_hash, current_password):
        raise WrongPassword()
    user.password_hash = hash_password(new_password)
    user.session_token = new_session_token()


def set_locale(user: User, locale: str) -> None:
    """Remember the interface language a signed-in user chose."""
    user.locale = locale


def grant_role(user: User, role: Role) -> None:
    """Give ``user`` a role (idempotent)."""
    if role is Role.BUYER or role in {row.role for row in user.role_rows}:
        return
    user.role_rows.append(UserRole(role=role))


def revoke_role(user: User, role: Role) -> None:
    for row in list(user.role_rows):
        if row.role is role:
            user.role_rows.remove(row)


def create_admin(email: str, password: str, display_name: str = "Admin") -> User:
    """Create an admin account, or make an existing account admin (and set its password)."""
    user = find_user_by_email(email)
    if user is None:
        user = User(email=email_key(email), display_name=display_name, password_hash="")
        db.session.add(user)
    user.password_hash = hash_password(password)
    grant_role(user, Role.ADMIN)
    db.session.flush()
    return user
