"""Producer operations: applying, approval, the shop's brand."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from shop.accounts.models import Role, User
from shop.accounts.services import grant_role, revoke_role
from shop.catalog.services import Upload
from shop.cooperatives.models import Centre, Cooperative, MembershipRequest
from shop.database import utcnow
from shop.extensions import db
from shop.media.models import Image
from shop.media.services import add_image, delete_image, files_kept_only_if_committed
from shop.producers.models import Producer, ProducerStatus
from shop.producers.queries import pending_membership
from shop.search.services import enqueue_producer
from shop.text import slugify


class ProducerError(Exception):
    field: str | None = None


class AlreadyApplied(ProducerError):
    pass


class NotApproved(ProducerError):
    pass


class UnknownCentre(ProducerError):
    field = "centre_id"


class UnknownCooperative(ProducerError):
    field = "cooperative_id"


class MembershipPending(ProducerError):
    field = "cooperative_id"


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


def unique_slug(model, text: str, exclude_id: int | None = None) -> str:
    """A slug for ``text`` not yet used by another row of ``model``."""
    base = slugify(text)
    candidate, counter = base, 2
    while True:
        query = select(model.id).where(model.slug == candidate)
        if exclude_id is not None:
            query = query.where(model.id != exclude_id)
        if db.session.scalar(query) is None:
            return candidate
        candidate, counter = f"{base}-{counter}", counter + 1


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
    old_certificate = producer.certificate if producer is not None else None
    with files_kept_only_if_committed() as new_images:
        if application.certificate is not None:
            new_images.append(
                add_image(
                    application.certificate.data,
                    owner_id=user.id,
                    original_name=application.certificate.filename,
                )
            )
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
        if new_images:
            producer.certificate = new_images[0]
            producer.is_certificate_verified = False
        if cooperative is not None:
            db.session.flush()
            _open_membership_request(producer, cooperative)
        db.session.commit()
    if new_images and old_certificate is not None:
        delete_image(old_certificate)
        db.session.commit()
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
        raise UnknownCooperative()
    request = _open_membership_request(producer, cooperative)
    db.session.commit()
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
    db.session.commit()


def reject_producer(producer: Producer, reason: str) -> None:
    producer.status.check_transition(ProducerStatus.REJECTED)
    producer.status = ProducerStatus.REJECTED
    producer.rejection_reason = reason.strip()
    revoke_role(producer.user, Role.PRODUCER)
    enqueue_producer(producer.id)
    db.session.commit()


def update_brand(producer: Producer, brand: Brand) -> Producer:
    """Change the shop's name, colours, words and pictures."""
    if not producer.is_approved:
        raise NotApproved()
    old_images: list[Image] = []
    with files_kept_only_if_committed() as new_images:
        for attribute, upload in (("logo", brand.logo), ("banner", brand.banner)):
            if upload is None:
                continue
            image = add_image(upload.data, owner_id=producer.user_id, original_name=upload.filename)
            new_images.append(image)
            if getattr(producer, attribute) is not None:
                old_images.append(getattr(producer, attribute))
            setattr(producer, attribute, image)
        producer.shop_name = brand.shop_name.strip()
        producer.tagline = brand.tagline.strip()
        producer.story = brand.story.strip()
        producer.color_primary = brand.color_primary.lower()
        producer.color_secondary = brand.color_secondary.lower()
        enqueue_producer(producer.id)
        db.session.commit()
    for image in old_images:
        delete_image(image)
    if old_images:
        db.session.commit()
    return producer
