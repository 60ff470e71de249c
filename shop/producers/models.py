"""Producers: a home-based maker's shop, its brand and its approval."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from shop.database import StateMachine, Timestamp, enum_column, utcnow
from shop.extensions import db

if TYPE_CHECKING:
    from shop.accounts.models import User
    from shop.cooperatives.models import Centre, Cooperative
    from shop.listings.models import Product
    from shop.media.models import Image


class ProducerStatus(StateMachine):
    APPLIED = "applied"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUSPENDED = "suspended"

    @classmethod
    def transitions(cls) -> dict:
        return {
            cls.APPLIED: (cls.APPROVED, cls.REJECTED),
            cls.REJECTED: (cls.APPLIED,),
            cls.APPROVED: (cls.SUSPENDED,),
            cls.SUSPENDED: (cls.APPROVED,),
        }


class Producer(db.Model):
    __tablename__ = "producers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    shop_name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    city: Mapped[str] = mapped_column(String(80))
    neighbourhood: Mapped[str] = mapped_column(String(120), default="")
    centre_id: Mapped[int | None] = mapped_column(
        ForeignKey("centres.id", ondelete="SET NULL"), index=True
    )
    #: Set only when a manager of that cooperative accepts the producer's request.
    cooperative_id: Mapped[int | None] = mapped_column(
        ForeignKey("cooperatives.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[ProducerStatus] = mapped_column(
        enum_column(ProducerStatus), default=ProducerStatus.APPLIED, index=True
    )
    rejection_reason: Mapped[str] = mapped_column(String(500), default="")
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("images.id", ondelete="SET NULL"))
    is_certificate_verified: Mapped[bool] = mapped_column(default=False)
    tagline: Mapped[str] = mapped_column(String(200), default="")
    story: Mapped[str] = mapped_column(Text, default="")
    color_primary: Mapped[str] = mapped_column(String(7), default="#7a3e2b")
    color_secondary: Mapped[str] = mapped_column(String(7), default="#f4e1c1")
    logo_id: Mapped[int | None] = mapped_column(ForeignKey("images.id", ondelete="SET NULL"))
    banner_id: Mapped[int | None] = mapped_column(ForeignKey("images.id", ondelete="SET NULL"))
    #: Iranian IBAN (Sheba) for payouts.
    sheba: Mapped[str] = mapped_column(String(26), default="")
    created_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(Timestamp())

    user: Mapped[User] = relationship(backref=backref("producer", uselist=False))
    centre: Mapped[Centre | None] = relationship(back_populates="producers")
    cooperative: Mapped[Cooperative | None] = relationship(back_populates="members")
    logo: Mapped[Image | None] = relationship(foreign_keys=[logo_id])
    banner: Mapped[Image | None] = relationship(foreign_keys=[banner_id])
    certificate: Mapped[Image | None] = relationship(foreign_keys=[certificate_id])
    products: Mapped[list[Product]] = relationship(back_populates="producer")

    @property
    def is_approved(self) -> bool:
        return self.status is ProducerStatus.APPROVED
