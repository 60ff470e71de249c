"""Read side of the admin's pages: queues and counts."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from shop.accounts.models import User
from shop.cooperatives.models import Centre, Cooperative
from shop.extensions import db
from shop.listings.models import Product, ProductRevision, ProductStatus, RevisionStatus
from shop.producers.models import Producer, ProducerStatus
from shop.subsidies.models import SubsidyApplication, SubsidyStatus


def _count(column, *where) -> int:
    return db.session.scalar(select(func.count(column)).where(*where)) or 0


def moderation_counts() -> dict[str, int]:
    return {
        "pending_producers": _count(Producer.id, Producer.status == ProducerStatus.APPLIED),
        "pending_listings": _count(
            ProductRevision.id, ProductRevision.status == RevisionStatus.PENDING
        ),
        "producers": _count(Producer.id, Producer.status == ProducerStatus.APPROVED),
        "listings": _count(Product.id, Product.status == ProductStatus.ACTIVE),
        "users": _count(User.id),
        "subsidies_waiting": _count(
            SubsidyApplication.id, SubsidyApplication.status == SubsidyStatus.SUBMITTED
        ),
    }


def list_producer_applications() -> list[Producer]:
    return list(
        db.session.scalars(
            select(Producer)
            .where(Producer.status == ProducerStatus.APPLIED)
            .order_by(Producer.created_at)
            .options(
                joinedload(Producer.user),
                joinedload(Producer.centre),
                joinedload(Producer.certificate),
            )
        )
    )


def list_centres() -> list[Centre]:
    return list(db.session.scalars(select(Centre).order_by(Centre.city, Centre.name)))


def list_cooperatives() -> list[Cooperative]:
    return list(
        db.session.scalars(
            select(Cooperative)
            .order_by(Cooperative.name)
            .options(selectinload(Cooperative.managers))
        )
    )
