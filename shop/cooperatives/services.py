"""Centres and cooperatives: created by admins; cooperatives' managers decide on members."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from shop.accounts.models import Role, User
from shop.accounts.services import find_user_by_email, grant_role
from shop.cooperatives.models import Centre, Cooperative, MembershipRequest, MembershipStatus
from shop.database import lock_row, utcnow
from shop.errors import DomainError, NotAllowed
from shop.extensions import db
from shop.ledger.fees import check_commission
from shop.search.outbox import enqueue_centre, enqueue_cooperative, enqueue_producer
from shop.text import unique_slug


class UnknownManager(DomainError):
    field = "manager_email"
    message = _l("No account has this e-mail address.")


@dataclass(frozen=True)
class CentreData:
    name: str
    city: str
    neighbourhood: str = ""
    description: str = ""


@dataclass(frozen=True)
class CooperativeData:
    name: str
    city: str
    neighbourhood: str = ""
    tagline: str = ""
    story: str = ""
    commission_bp: int = 300
    manager_email: str | None = None
    is_verified: bool = False


def create_centre(data: CentreData) -> Centre:
    centre = Centre(
        name=data.name.strip(),
        slug=unique_slug(Centre, data.name),
        city=data.city.strip(),
        neighbourhood=data.neighbourhood.strip(),
        description=data.description.strip(),
    )
    db.session.add(centre)
    db.session.flush()
    return centre


def create_cooperative(data: CooperativeData) -> Cooperative:
    """Create a cooperative; the manager, if named, must already have an account."""
    manager: User | None = None
    if data.manager_email:
        manager = find_user_by_email(data.manager_email)
        if manager is None:
            raise UnknownManager()
    check_commission(data.commission_bp)
    cooperative = Cooperative(
        name=data.name.strip(),
        slug=unique_slug(Cooperative, data.name),
        city=data.city.strip(),
        neighbourhood=data.neighbourhood.strip(),
        tagline=data.tagline.strip(),
        story=data.story.strip(),
        commission_bp=data.commission_bp,
        is_verified=data.is_verified,
    )
    db.session.add(cooperative)
    if manager is not None:
        cooperative.managers.append(manager)
        grant_role(manager, Role.COOPERATIVE_MANAGER)
    db.session.flush()
    return cooperative


def is_manager(user: User, cooperative: Cooperative) -> bool:
    return any(manager.id == user.id for manager in cooperative.managers)


def decide_membership(
    request: MembershipRequest, manager: User, accept: bool, reason: str = ""
) -> None:
    """Accept or refuse a producer's request; only that cooperative's managers may."""
    if not is_manager(manager, request.cooperative):
        raise NotAllowed("not a manager of this cooperative")
    lock_row(request)  # two managers deciding at once: the second sees the first's decision
    target = MembershipStatus.ACCEPTED if accept else MembershipStatus.REFUSED
    request.status.check_transition(target)
    request.status = target
    request.reason = reason.strip()
    request.decided_by_id = manager.id
    request.decided_at = utcnow()
    if accept:
        request.producer.cooperative_id = request.cooperative_id
        enqueue_producer(request.producer_id)


def rename_cooperative(cooperative: Cooperative, name: str) -> None:
    """Change a cooperative's name (its address stays); its members' listings are re-indexed."""
    cooperative.name = name.strip()
    enqueue_cooperative(cooperative.id)


def rename_centre(centre: Centre, name: str) -> None:
    centre.name = name.strip()
    enqueue_centre(centre.id)
