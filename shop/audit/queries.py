"""Reading the audit log."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.audit.models import AuditEntry
from shop.extensions import db
from shop.pagination import paginate


def list_entries(page: int = 1, action: str = "", per_page: int = 50):
    """Newest first, optionally only one kind of action."""
    query = (
        select(AuditEntry)
        .options(selectinload(AuditEntry.actor))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
    if action:
        query = query.where(AuditEntry.action == action)
    return paginate(query, page, per_page)


def actions() -> list[str]:
    """Every kind of action the log holds, for choosing one."""
    return list(
        db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    )
