"""Users and their roles."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.database import Timestamp, enum_column, utcnow
from shop.extensions import db


class Role(enum.Enum):
    BUYER = "buyer"
    PRODUCER = "producer"
    COOPERATIVE_MANAGER = "cooperative_manager"
    ADMIN = "admin"
    #: A municipality's staff: reads the programme's impact figures, changes nothing.
    PROGRAMME = "programme"


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Always stored lower-case, so uniqueness is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(32))
    locale: Mapped[str | None] = mapped_column(String(8))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    #: Part of the login cookie; replaced at logout and password change, which kills old sessions.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(Timestamp())

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    # ``user.producer`` (their shop, or None) is declared on ``Producer``: each feature declares
    # its relationships on its own models, so this one does not grow with every feature.

    @property
    def is_active(self) -> bool:  # Flask-Login: refused accounts cannot sign in
        return self.is_active_account

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def roles(self) -> set[Role]:
        return {Role.BUYER} | {row.role for row in self.role_rows}

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role", name="user_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))
    granted_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="role_rows")


def email_key(email: str) -> str:
    """The stored form of an e-mail address."""
    return email.strip().lower()
