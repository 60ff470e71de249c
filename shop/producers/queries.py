"""Read side for producers' own pages and public shop pages."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from shop.cooperatives.models import Centre, Cooperative, MembershipRequest, MembershipStatus
from shop.extensions import db
from shop.producers.models import Producer, ProducerStatus


def get_public_producer(slug: str) -> Producer | None:
    return db.session.scalars(
        select(Producer)
        .where(Producer.slug == slug, Producer.status == ProducerStatus.APPROVED)
        .options(
            joinedload(Producer.logo),
            joinedload(Producer.banner),
            joinedload(Producer.cooperative),
            joinedload(Producer.centre),
        )
    ).first()


def centre_choices() -> list[Centre]:
    return list(db.session.scalars(select(Centre).order_by(Centre.city, Centre.name)).all())


def cooperative_choices() -> list[Cooperative]:
    return list(db.session.scalars(select(Cooperative).order_by(Cooperative.name)).all())


def pending_membership(producer: Producer) -> MembershipRequest | None:
    """The producer's request to join a cooperative that is still waiting, if any."""
    return db.session.scalar(
        select(MembershipRequest).where(
            MembershipRequest.producer_id == producer.id,
            MembershipRequest.status == MembershipStatus.PENDING,
        )
    )
