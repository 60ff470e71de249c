"""Read side of cooperatives and centres: public pages and managers' queues."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from shop.accounts.models import User
from shop.cooperatives.models import (
    Centre,
    Cooperative,
    MembershipRequest,
    MembershipStatus,
    cooperative_managers,
)
from shop.extensions import db
from shop.producers.models import Producer, ProducerStatus


def get_cooperative(slug: str) -> Cooperative | None:
    return db.session.scalars(
        select(Cooperative)
        .where(Cooperative.slug == slug)
        .options(joinedload(Cooperative.logo), joinedload(Cooperative.banner))
    ).first()


def get_centre(slug: str) -> Centre | None:
    return db.session.scalars(select(Centre).where(Centre.slug == slug)).first()


def approved_members(*, cooperative_id: int | None = None, centre_id: int | None = None):
    query = select(Producer).where(Producer.status == ProducerStatus.APPROVED)
    if cooperative_id is not None:
        query = query.where(Producer.cooperative_id == cooperative_id)
    if centre_id is not None:
        query = query.where(Producer.centre_id == centre_id)
    return list(
        db.session.scalars(query.order_by(Producer.shop_name).options(joinedload(Producer.logo)))
    )


def managed_cooperatives(user: User) -> list[Cooperative]:
    return list(
        db.session.scalars(
            select(Cooperative)
            .join(cooperative_managers, cooperative_managers.c.cooperative_id == Cooperative.id)
            .where(cooperative_managers.c.user_id == user.id)
            .order_by(Cooperative.name)
        )
    )


def list_requests(cooperative_ids: list[int]) -> list[MembershipRequest]:
    if not cooperative_ids:
        return []
    return list(
        db.session.scalars(
            select(MembershipRequest)
            .where(
                MembershipRequest.cooperative_id.in_(cooperative_ids),
                MembershipRequest.status == MembershipStatus.PENDING,
            )
            .order_by(MembershipRequest.created_at)
            .options(
                joinedload(MembershipRequest.producer).joinedload(Producer.centre),
                joinedload(MembershipRequest.cooperative).selectinload(Cooperative.managers),
            )
        )
    )


def get_request_for_manager(request_id: int, user: User) -> MembershipRequest | None:
    """A pending request to one of ``user``'s cooperatives, or None."""
    return db.session.scalars(
        select(MembershipRequest)
        .join(
            cooperative_managers,
            cooperative_managers.c.cooperative_id == MembershipRequest.cooperative_id,
        )
        .where(MembershipRequest.id == request_id, cooperative_managers.c.user_id == user.id)
    ).first()
