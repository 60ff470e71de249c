"""Reading payout batches and what a beneficiary was paid."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.extensions import db
from shop.pagination import paginate
from shop.payouts.models import BatchStatus, Payout, PayoutBatch


def list_batches(page: int = 1, per_page: int = 20):
    query = (
        select(PayoutBatch)
        .options(selectinload(PayoutBatch.payouts))
        .order_by(PayoutBatch.created_at.desc(), PayoutBatch.id.desc())
    )
    return paginate(query, page, per_page)


def get_batch(batch_id: int) -> PayoutBatch | None:
    return db.session.scalar(
        select(PayoutBatch)
        .options(selectinload(PayoutBatch.payouts))
        .where(PayoutBatch.id == batch_id)
    )


def payouts_received(account: str, limit: int = 50) -> list[tuple[Payout, PayoutBatch]]:
    """The confirmed payouts of ``account`` (``producer:12``), newest first."""
    return db.session.execute(
        select(Payout, PayoutBatch)
        .join(PayoutBatch)
        .where(
            Payout.account == account,
            Payout.skipped_reason == "",
            PayoutBatch.status == BatchStatus.CONFIRMED,
        )
        .order_by(PayoutBatch.decided_at.desc(), Payout.id.desc())
        .limit(limit)
    ).all()
