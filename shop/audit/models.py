"""One audit entry per admin or money action (a rate changed, a payout batch confirmed, a
refund made, a return approved). Written in the action's own transaction; never changed."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.database import Timestamp, utcnow
from shop.extensions import db

if TYPE_CHECKING:
    from shop.accounts.models import User


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Who did it; none for the system (the reconciler, a command).
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: What was done, e.g. "cooperative.commission", "payout_batch.confirm", "refund.make".
    action: Mapped[str] = mapped_column(String(60), index=True)
    #: What it was done to, e.g. "cooperative:3".
    subject: Mapped[str] = mapped_column(String(80), index=True)
    #: JSON of the fields that changed, as they were and as they became.
    before: Mapped[str] = mapped_column(Text, default="{}")
    after: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(Timestamp(), default=utcnow, index=True)

    actor: Mapped[User | None] = relationship("User")

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) of each field the entry names."""
        before, after = json.loads(self.before or "{}"), json.loads(self.after or "{}")
        return [(key, before.get(key), after.get(key)) for key in sorted({*before, *after})]
