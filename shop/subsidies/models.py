"""Branding-subsidy applications and their invoice files.

A cooperative's manager describes branding work (a logo, packaging, photographs…) and its cost;
the programme pays a share of it (``rate_bp`` of the cost, up to ``cap`` a Jalali year). The
rule in force when the application is submitted is copied onto it, so a later change of rate
or cap never alters an application already waiting.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.database import StateMachine, Timestamp, enum_column, utcnow
from shop.extensions import db

if TYPE_CHECKING:
    from shop.accounts.models import User
    from shop.cooperatives.models import Cooperative


class SubsidyStatus(StateMachine):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAID = "paid"

    @classmethod
    def transitions(cls) -> dict:
        return {
            cls.DRAFT: (cls.SUBMITTED,),
            cls.SUBMITTED: (cls.APPROVED, cls.REJECTED, cls.CHANGES_REQUESTED),
            cls.CHANGES_REQUESTED: (cls.SUBMITTED,),
            cls.APPROVED: (cls.PAID,),
        }

    @property
    def is_editable(self) -> bool:
        return self in (SubsidyStatus.DRAFT, SubsidyStatus.CHANGES_REQUESTED)

    @property
    def is_granted(self) -> bool:
        """Counts against the cooperative's yearly cap."""
        return self in (SubsidyStatus.APPROVED, SubsidyStatus.PAID)


class BrandingWork(enum.Enum):
    LOGO = "logo"
    PACKAGING = "packaging"
    LABELS = "labels"
    PHOTOGRAPHY = "photography"
    SHOP_PAGE = "shop_page"
    EXHIBITION_STAND = "exhibition_stand"
    OTHER = "other"


class SubsidyApplication(db.Model):
    __tablename__ = "subsidy_applications"
    __table_args__ = (
        CheckConstraint("cost > 0", name="cost_positive"),
        CheckConstraint(
            "approved_amount IS NULL OR approved_amount > 0", name="approved_amount_positive"
        ),
        Index("ix_subsidy_applications_cooperative_year", "cooperative_id", "jalali_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(
        ForeignKey("cooperatives.id", ondelete="RESTRICT"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    work: Mapped[BrandingWork] = mapped_column(enum_column(BrandingWork))
    description: Mapped[str] = mapped_column(Text, default="")
    supplier: Mapped[str] = mapped_column(String(160), default="")
    #: What the work cost, in the currency's minor unit.
    cost: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[SubsidyStatus] = mapped_column(
        enum_column(SubsidyStatus), default=SubsidyStatus.DRAFT, index=True
    )
    #: The rule in force at the last submission: rate in basis points, yearly cap (minor units)
    #: and the Jalali year whose cap it counts against.
    rate_bp: Mapped[int | None]
    cap: Mapped[int | None] = mapped_column(BigInteger)
    jalali_year: Mapped[int | None]
    #: min(rate × cost, cap − already granted that year), as computed at submission.
    computed_amount: Mapped[int | None] = mapped_column(BigInteger)
    #: What an admin granted (at most what the rule allows when they decide).
    approved_amount: Mapped[int | None] = mapped_column(BigInteger)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The admin's reason for a rejection or for the changes asked for.
    decision_note: Mapped[str] = mapped_column(String(1000), default="")
    payout_id: Mapped[int | None] = mapped_column(ForeignKey("payouts.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(Timestamp())
    decided_at: Mapped[datetime | None] = mapped_column(Timestamp(), index=True)
    paid_at: Mapped[datetime | None] = mapped_column(Timestamp())

    cooperative: Mapped[Cooperative] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
    invoices: Mapped[list[SubsidyInvoice]] = relationship(
        back_populates="application", order_by="SubsidyInvoice.id"
    )

    @property
    def reference(self) -> str:
        return f"DST-SUB-{self.id:05d}"


class SubsidyInvoice(db.Model):
    """An invoice file, kept in the private folder (never the public media one)."""

    __tablename__ = "subsidy_invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("subsidy_applications.id", ondelete="CASCADE"), index=True
    )
    #: Server-made random name of the stored file.
    key: Mapped[str] = mapped_column(String(40), unique=True)
    #: What its content was found to be: application/pdf, image/jpeg or image/png.
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    #: What the uploader called it (shown, and offered as the download's name; never a path).
    original_name: Mapped[str] = mapped_column(String(255), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)

    application: Mapped[SubsidyApplication] = relationship(back_populates="invoices")
