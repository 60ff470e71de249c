"""Read side of cooperatives and centres: public pages and managers' queues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from shop.accounts.models import User
from shop.cooperatives.models import (
    Centre,
    Cooperative,
    MembershipRequest,
    MembershipStatus,
    cooperative_managers,
)
from shop.database import utcnow
from shop.extensions import db
from shop.ledger.models import cooperative_account
from shop.ledger.queries import Earnings, cooperative_earnings, earned_over_time
from shop.listings.models import Product, ProductStatus
from shop.producers.models import Producer, ProducerStatus
from shop.reports.periods import Month, Period, month_of


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


def pending_request_counts(cooperative_ids: list[int]) -> dict[int, int]:
    """How many requests to join wait for each of these cooperatives (one grouped query)."""
    if not cooperative_ids:
        return {}
    rows = db.session.execute(
        select(MembershipRequest.cooperative_id, func.count())
        .where(
            MembershipRequest.cooperative_id.in_(cooperative_ids),
            MembershipRequest.status == MembershipStatus.PENDING,
        )
        .group_by(MembershipRequest.cooperative_id)
    ).all()
    found = {cooperative_id: int(n) for cooperative_id, n in rows}
    return {cooperative_id: found.get(cooperative_id, 0) for cooperative_id in cooperative_ids}


@dataclass(frozen=True)
class Member:
    """A member producer as the cooperative's dashboard lists them."""

    producer: Producer
    active_listings: int
    #: When a manager accepted their request; None when they joined another way (set by an
    #: admin, or before requests existed).
    joined_at: datetime | None


def list_members(cooperative_id: int) -> list[Member]:
    """Every member producer (whatever their shop's status), by shop name, with their number of
    listings on sale and when they joined: one query."""
    listings = (
        select(Product.producer_id, func.count().label("active"))
        .where(Product.status == ProductStatus.ACTIVE)
        .group_by(Product.producer_id)
        .subquery()
    )
    joined = (
        select(MembershipRequest.producer_id, func.max(MembershipRequest.decided_at).label("at"))
        .where(
            MembershipRequest.cooperative_id == cooperative_id,
            MembershipRequest.status == MembershipStatus.ACCEPTED,
        )
        .group_by(MembershipRequest.producer_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Producer, func.coalesce(listings.c.active, 0), joined.c.at)
        .outerjoin(listings, listings.c.producer_id == Producer.id)
        .outerjoin(joined, joined.c.producer_id == Producer.id)
        .where(Producer.cooperative_id == cooperative_id)
        .order_by(Producer.shop_name, Producer.id)
        .options(joinedload(Producer.centre))
    ).all()
    return [Member(producer, int(active), joined_at) for producer, active, joined_at in rows]


@dataclass(frozen=True)
class Headline:
    """The dashboard's few figures, read from the ledger."""

    earnings: Earnings
    month: Month
    #: Commission earned this Jalali month: sales less refunds, booked this month.
    month_commission: int


def headline_figures(cooperative_id: int, now: datetime | None = None) -> Headline:
    """Balance, available and pending commission, and this Jalali month's commission."""
    now = now or utcnow()
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    month = month_of(now, zone)
    period = Period.month(month.year, month.month, zone)
    earned = earned_over_time(cooperative_account(cooperative_id), period.starts_at)
    month_commission = sum(int(amount) for at, amount in earned if period.contains(at))
    return Headline(cooperative_earnings(cooperative_id, now), month, month_commission)
