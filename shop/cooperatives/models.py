"""Training centres, cooperatives, their managers and membership requests."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.database import StateMachine, Timestamp, enum_column, utcnow
from shop.extensions import db

if TYPE_CHECKING:
    from shop.accounts.models import User
    from shop.media.models import Image
    from shop.producers.models import Producer

cooperative_managers = Table(
    "cooperative_managers",
    db.metadata,
    Column("cooperative_id", ForeignKey("cooperatives.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Centre(db.Model):
    """A training centre (e.g. a Rouyesh centre) serving one neighbourhood."""

    __tablename__ = "centres"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    slug: Mapped[str] = mapped_column(String(180), unique=True)
    city: Mapped[str] = mapped_column(String(80))
    neighbourhood: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)

    producers: Mapped[list[Producer]] = relationship(back_populates="centre")


class Cooperative(db.Model):
    __tablename__ = "cooperatives"
    __table_args__ = (
        CheckConstraint("commission_bp >= 0 AND commission_bp <= 5000", name="commission_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    slug: Mapped[str] = mapped_column(String(180), unique=True)
    city: Mapped[str] = mapped_column(String(80))
    neighbourhood: Mapped[str] = mapped_column(String(120), default="")
    tagline: Mapped[str] = mapped_column(String(200), default="")
    story: Mapped[str] = mapped_column(Text, default="")
    color_primary: Mapped[str] = mapped_column(String(7), default="#7a3e2b")
    color_secondary: Mapped[str] = mapped_column(String(7), default="#e9c46a")
    logo_id: Mapped[int | None] = mapped_column(ForeignKey("images.id", ondelete="SET NULL"))
    banner_id: Mapped[int | None] = mapped_column(ForeignKey("images.id", ondelete="SET NULL"))
    #: Commission on members' sales, in basis points (300 = 3%).
    commission_bp: Mapped[int] = mapped_column(default=300)
    #: Iranian IBAN (Sheba) its commission is paid to.
    sheba: Mapped[str] = mapped_column(String(26), default="")
    is_verified: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)

    logo: Mapped[Image | None] = relationship(foreign_keys=[logo_id])
    banner: Mapped[Image | None] = relationship(foreign_keys=[banner_id])
    managers: Mapped[list[User]] = relationship(secondary=cooperative_managers)
    members: Mapped[list[Producer]] = relationship(back_populates="cooperative")


class MembershipStatus(StateMachine):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"

    @classmethod
    def transitions(cls) -> dict:
        return {cls.PENDING: (cls.ACCEPTED, cls.REFUSED)}


class MembershipRequest(db.Model):
    """A producer's request to join a cooperative, decided by one of its managers."""

    __tablename__ = "membership_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id", ondelete="CASCADE"))
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id", ondelete="CASCADE"))
    status: Mapped[MembershipStatus] = mapped_column(
        enum_column(MembershipStatus), default=MembershipStatus.PENDING
    )
    reason: Mapped[str] = mapped_column(String(500), default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(Timestamp())

    producer: Mapped[Producer] = relationship()
    cooperative: Mapped[Cooperative] = relationship()
