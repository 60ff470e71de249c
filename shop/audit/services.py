"""Writing the audit log, called by name from the service that acts."""

from __future__ import annotations

import json

from shop.audit.models import AuditEntry
from shop.extensions import db


def record(
    actor,
    action: str,
    subject: str,
    before: dict | None = None,
    after: dict | None = None,
    *,
    actor_id: int | None = None,
):
    """Log ``action`` on ``subject`` by ``actor`` (a user, or None for the system; or name the
    user by ``actor_id``)."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None) or actor_id,
        action=action[:60],
        subject=subject[:80],
        before=json.dumps(before or {}, ensure_ascii=False, sort_keys=True, default=str),
        after=json.dumps(after or {}, ensure_ascii=False, sort_keys=True, default=str),
    )
    db.session.add(entry)
    return entry
