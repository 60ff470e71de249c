"""Centres and cooperatives: created by admins; cooperatives' managers decide on members."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from shop.accounts.models import Role, User
from shop.accounts.services import find_user_by_email, grant_role
from shop.audit.services import record
from shop.cooperatives.models import Centre, Cooperative, MembershipRequest, MembershipStatus
from shop.database import lock_row, utcnow
from shop.errors import DomainError, NotAllowed
from shop.extensions import db
from shop.ledger.fees import check_commission
from shop.mail.services import queue_mail
from shop.media.services import delete_image, replace_pictures
from shop.media.uploads import Upload
from shop.producers.models import Producer
from shop.search.outbox import enqueue_centre, enqueue_cooperative, enqueue_producer
from shop.text import HEX_COLOUR, unique_slug

#: The longest reason a manager may give when a member is removed (told to the producer).
REASON_MAX_LENGTH = 500


class UnknownManager(DomainError):
    field = "manager_email"
    message = _l("No account has this e-mail address.")


class NotAMember(DomainError):
    message = _l("This producer is not a member of this cooperative (any more).")


class InvalidColour(DomainError):
    message = _l("Choose a colour written like #7a3e2b.")


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


@dataclass(frozen=True)
class CooperativeBrand:
    """What a cooperative's managers may change of its page (its name is the admins')."""

    tagline: str
    story: str
    color_primary: str
    color_secondary: str
    logo: Upload | None = None
    banner: Upload | None = None


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


def _check_may_manage(user: User, cooperative: Cooperative) -> None:
    """Its managers may; so may the shop's admins (what they do is in the audit log)."""
    if not (is_manager(user, cooperative) or user.is_admin):
        raise NotAllowed("not a manager of this cooperative")


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


def remove_member(
    cooperative: Cooperative, producer: Producer, manager: User, reason: str = ""
) -> None:
    """Take ``producer`` out of ``cooperative``, and tell them why by e-mail.

    Orders already placed keep the cooperative and the commission rate they were placed with
    (order lines are snapshots); the producer may ask to join again later.
    Raises ``NotAllowed`` (not its manager nor an admin) or ``NotAMember``.
    """
    _check_may_manage(manager, cooperative)
    lock_row(producer)  # a manager accepting them elsewhere at the same moment waits its turn
    if producer.cooperative_id != cooperative.id:
        raise NotAMember()
    reason = reason.strip()[:REASON_MAX_LENGTH]
    producer.cooperative_id = None
    enqueue_producer(producer.id)
    record(
        manager,
        "cooperative.member_remove",
        f"cooperative:{cooperative.id}",
        {"producer_id": producer.id},
        {"reason": reason},
    )
    queue_mail(producer.user, "membership_ended", cooperative=cooperative, reason=reason)
    db.session.flush()


def _brand_fields(cooperative: Cooperative) -> dict:
    return {
        "tagline": cooperative.tagline,
        "story": cooperative.story,
        "color_primary": cooperative.color_primary,
        "color_secondary": cooperative.color_secondary,
        "logo_id": cooperative.logo_id,
        "banner_id": cooperative.banner_id,
    }


def update_cooperative_brand(
    cooperative: Cooperative, manager: User, brand: CooperativeBrand
) -> Cooperative:
    """Change the cooperative's words, colours and pictures (not its name: admins rename it).

    The row is locked first, so brand updates made at the same moment take turns: each
    replaces (and deletes) the picture the one before it saved. Raises ``NotAllowed``,
    ``InvalidColour`` or ``ImageRejected`` before anything is changed.
    """
    _check_may_manage(manager, cooperative)
    for colour in (brand.color_primary, brand.color_secondary):
        if not (colour and HEX_COLOUR.match(colour)):
            raise InvalidColour()
    lock_row(cooperative)
    before = _brand_fields(cooperative)
    replaced = replace_pictures(
        cooperative, {"logo": brand.logo, "banner": brand.banner}, owner_id=manager.id
    )
    cooperative.tagline = brand.tagline.strip()
    cooperative.story = brand.story.strip()
    cooperative.color_primary = brand.color_primary.lower()
    cooperative.color_secondary = brand.color_secondary.lower()
    db.session.flush()
    for image in replaced:
        delete_image(image)
    after = _brand_fields(cooperative)
    changed = [name for name in after if after[name] != before[name]]
    record(
        manager,
        "cooperative.brand",
        f"cooperative:{cooperative.id}",
        {name: before[name] for name in changed},
        {name: after[name] for name in changed},
    )
    return cooperative
