"""Producer operations: applying, approval, the shop's brand, asking to join a cooperative."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from shop.accounts.models import Role, User
from shop.accounts.services import grant_role, revoke_role
from shop.cooperatives.models import Centre, Cooperative, MembershipRequest
from shop.database import lock_row, utcnow
from shop.errors import DomainError, NotAllowed
from shop.extensions import db
from shop.media.services import add_image, delete_image, replace_pictures
from shop.media.uploads import Upload
from shop.producers.models import Producer, ProducerStatus
from shop.producers.queries import pending_membership
from shop.search.outbox import enqueue_producer
from shop.text import unique_slug


class AlreadyApplied(DomainError):
    message = _l("You have already applied for a shop.")


class UnknownCentre(DomainError):
    field = "centre_id"
    message = _l("This choice is not available.")


class UnknownCooperative(DomainError):
    field = "cooperative_id"
    message = _l("This choice is not available.")


class AlreadyMember(DomainError):
    field = "cooperative_id"
    message = _l("You are already a member of this cooperative.")


class MembershipPending(DomainError):
    field = "cooperative_id"
    message = _l("You already have a request waiting for a cooperative's managers.")


@dataclass(frozen=True)
class Application:
    shop_name: str
    city: str
    neighbourhood: str
    centre_id: int | None
    cooperative_id: int | None
    certificate: Upload | None = None


@dataclass(frozen=True)
class Brand:
    shop_name: str
    tagline: str
    story: str
    color_primary: str
    color_secondary: str
    logo: Upload | None = None
    banner: Upload | None = None


def apply_as_producer(user: User, application: Application) -> Producer:
    """Ask to open a shop; an admin approves or rejects.

    Raises ``AlreadyApplied``, ``UnknownCentre``, ``UnknownCooperative``, ``MembershipPending``
    or ``ImageRejected`` before anything is changed or written.
    """
    producer = user.producer
    if producer is not None and producer.status is not ProducerStatus.REJECTED:
        raise AlreadyApplied()
    if application.centre_id is not None and db.session.get(Centre, application.centre_id) is None:
        raise UnknownCentre()
    cooperative = None
    if application.cooperative_id is not None:
        cooperative = db.session.get(Cooperative, application.cooperative_id)
        if cooperative is None:
            raise UnknownCooperative()
        if producer is not None and pending_membership(producer) is not None:
            raise MembershipPending()

    shop_name = application.shop_name.strip()
    slug = unique_slug(Producer, shop_name, exclude_id=producer.id if producer else None)
    certificate = None
    if application.certificate is not None:
        certificate = add_image(application.certificate, owner_id=user.id, field="certificate")
    if producer is None:
        producer = Producer(user=user, status=ProducerStatus.APPLIED)
        db.session.add(producer)
    else:
        producer.status.check_transition(ProducerStatus.APPLIED)
        producer.status = ProducerStatus.APPLIED
        producer.rejection_reason = ""
    producer.shop_name = shop_name
    producer.slug = slug
    producer.city = application.city.strip()
    producer.neighbourhood = application.neighbourhood.strip()
    producer.centre_id = application.centre_id
    if certificate is not None:
        old_certificate = producer.certificate
        producer.certificate = certificate
        producer.is_certificate_verified = False
        if old_certificate is not None:
            delete_image(old_certificate)
    if cooperative is not None:
        db.session.flush()
        _open_membership_request(producer, cooperative)
    db.session.flush()
    return producer


def _open_membership_request(producer: Producer, cooperative: Cooperative) -> MembershipRequest:
    if pending_membership(producer) is not None:
        raise MembershipPending()
    request = MembershipRequest(producer=producer, cooperative=cooperative)
    db.session.add(request)
    return request


def request_membership(producer: Producer, cooperative_id: int) -> MembershipRequest:
    """Ask to join a cooperative (one open request at a time)."""
    cooperative = db.session.get(Cooperative, cooperative_id)
    if cooperative is None:
        raise UnknownCooperative()
    if producer.cooperative_id == cooperative.id:
        raise AlreadyMember()
    request = _open_membership_request(producer, cooperative)
    db.session.flush()
    return request


def approve_producer(producer: Producer, certificate_verified: bool = False) -> None:
    producer.status.check_transition(ProducerStatus.APPROVED)
    producer.status = ProducerStatus.APPROVED
    producer.rejection_reason = ""
    producer.approved_at = producer.approved_at or utcnow()
    if certificate_verified and producer.certificate_id:
        producer.is_certificate_verified = True
    grant_role(producer.user, Role.PRODUCER)
    enqueue_producer(producer.id)


def reject_producer(producer: Producer, reason: str) -> None:
    producer.status.check_transition(ProducerStatus.REJECTED)
    producer.status = ProducerStatus.REJECTED
    producer.rejection_reason = reason.strip()
    revoke_role(producer.user, Role.PRODUCER)
    enqueue_producer(producer.id)


def update_brand(producer: Producer, brand: Brand) -> Producer:
    """Change the shop's name, colours, words and pictures.

    The shop's row is locked first, so brand updates made at the same moment take turns:
    each replaces (and deletes) the picture the one before it saved.
    """
    if not producer.is_approved:
        raise NotAllowed("producer is not approved")
    lock_row(producer)
    replaced = replace_pictures(
        producer, {"logo": brand.logo, "banner": brand.banner}, owner_id=producer.user_id
    )
    producer.shop_name = brand.shop_name.strip()
    producer.tagline = brand.tagline.strip()
    producer.story = brand.story.strip()
    producer.color_primary = brand.color_primary.lower()
    producer.color_secondary = brand.color_secondary.lower()
    db.session.flush()
    for image in replaced:
        delete_image(image)
    enqueue_producer(producer.id)
    return producer
