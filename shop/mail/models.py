"""An e-mail waiting to be sent, or sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shop.database import StateMachine, Timestamp, enum_column, utcnow
from shop.extensions import db


class MailStatus(StateMachine):
    PENDING = "pending"
    SENT = "sent"
    #: Given up after ``MAX_ATTEMPTS``; ``shop mail send --failed`` tries again.
    FAILED = "failed"

    @classmethod
    def transitions(cls) -> dict:
        return {cls.PENDING: (cls.SENT, cls.FAILED), cls.FAILED: (cls.PENDING,)}


class OutgoingMail(db.Model):
    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    #: The recipient's language, in which it was written.
    locale: Mapped[str] = mapped_column(String(8))
    status: Mapped[MailStatus] = mapped_column(
        enum_column(MailStatus), default=MailStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(Timestamp())
