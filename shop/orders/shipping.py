"""How each producer ships: their post rate and free-shipping threshold, and pick-up at their
centre. Set on the producer's dashboard; read by the cart, the checkout and ``place_order``."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from shop.errors import DomainError
from shop.extensions import db
from shop.orders.models import ShippingMethod, ShippingPolicy
from shop.producers.models import Producer

#: The most a parcel's post may cost or a threshold may be, in minor units (a sanity bound:
#: 100,000,000 toman in rials).
MAX_AMOUNT = 1_000_000_000


def shipping_options(producer: Producer, items_total: int) -> dict[ShippingMethod, int]:
    """The ways this producer's parcel can travel, with what each costs for ``items_total``."""
    policy = producer.shipping_policy
    options: dict[ShippingMethod, int] = {}
    if policy is None or policy.offers_post:
        rate = current_app.config["SHOP_DEFAULT_POST_RATE"] if policy is None else policy.post_rate
        free_over = policy.free_post_over if policy is not None else None
        options[ShippingMethod.POST] = 0 if free_over and items_total >= free_over else rate
    if producer.centre_id is not None and (policy is None or policy.offers_centre_pickup):
        options[ShippingMethod.CENTRE_PICKUP] = 0
    return options


@dataclass(frozen=True)
class ShippingTerms:
    offers_post: bool
    post_rate: int
    free_post_over: int | None
    offers_centre_pickup: bool


class BadAmount(DomainError):
    field = "post_rate"
    message = _l("Enter an amount of zero or more.")


class NoWayToShip(DomainError):
    field = "offers_post"
    message = _l("Offer at least one way for buyers to receive their parcels.")


class NoCentre(DomainError):
    field = "offers_centre_pickup"
    message = _l("Pick-up at a centre needs your shop to belong to a training centre.")


def set_shipping_terms(producer: Producer, terms: ShippingTerms) -> ShippingPolicy:
    """Save how the producer ships (in the caller's transaction)."""
    for name in ("post_rate", "free_post_over"):
        value = getattr(terms, name)
        if value is None and name == "free_post_over":
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AMOUNT:
            raise BadAmount(field=name)
    if terms.free_post_over == 0:
        raise BadAmount(field="free_post_over")
    if terms.offers_centre_pickup and producer.centre_id is None:
        raise NoCentre()
    if not (terms.offers_post or terms.offers_centre_pickup):
        raise NoWayToShip()
    policy = producer.shipping_policy or ShippingPolicy(producer=producer)
    policy.offers_post = terms.offers_post
    policy.post_rate = terms.post_rate
    policy.free_post_over = terms.free_post_over
    policy.offers_centre_pickup = terms.offers_centre_pickup
    db.session.add(policy)
    db.session.flush()
    return policy
