"""A buyer's address book, and how each producer ships."""

from __future__ import annotations

import pytest

from shop.database import transaction
from shop.errors import NotFound
from shop.orders import addresses
from shop.orders.iran import BadMobile
from shop.orders.models import SavedAddress, ShippingMethod
from shop.orders.services import DeliveryAddress
from shop.orders.shipping import (
    BadAmount,
    NoCentre,
    NoWayToShip,
    ShippingTerms,
    set_shipping_terms,
    shipping_options,
)
from tests.conftest import count, reload
from tests.orders.test_place_order import ADDRESS


def add(user, address=ADDRESS, **extra):
    with transaction():
        return addresses.add_address(user, address, **extra)


def test_addresses_are_stored_checked_and_the_first_is_the_default(factory):
    buyer = factory.user()
    typed = DeliveryAddress(**{**vars(ADDRESS), "mobile": "+98 912 123 4567"})

    first = add(buyer, typed)
    second = add(buyer, DeliveryAddress(**{**vars(ADDRESS), "city": "نیشابور"}))

    assert reload(first).mobile == "09121234567"
    assert [a.id for a in addresses.list_addresses(buyer)] == [first.id, second.id]
    assert [a.is_default for a in addresses.list_addresses(buyer)] == [True, False]


def test_a_new_default_replaces_the_old_and_deleting_the_default_passes_it_on(factory):
    buyer = factory.user()
    first, second = add(buyer), add(buyer)
    with transaction():
        addresses.set_default_address(buyer, second.id)
    assert [a.id for a in addresses.list_addresses(buyer) if a.is_default] == [second.id]

    with transaction():
        addresses.delete_address(buyer, second.id)

    assert [(a.id, a.is_default) for a in addresses.list_addresses(buyer)] == [(first.id, True)]


def test_a_bad_address_is_refused_and_nothing_is_saved(factory):
    buyer = factory.user()
    with pytest.raises(BadMobile):
        add(buyer, DeliveryAddress(**{**vars(ADDRESS), "mobile": "12345"}))
    assert count(SavedAddress) == 0


def test_nobody_reads_changes_or_deletes_another_persons_address(factory):
    owner, stranger = factory.user(), factory.user()
    saved = add(owner)

    for attempt in (
        lambda: addresses.get_address(stranger, saved.id),
        lambda: addresses.update_address(stranger, saved.id, ADDRESS),
        lambda: addresses.set_default_address(stranger, saved.id),
        lambda: addresses.delete_address(stranger, saved.id),
        lambda: addresses.get_address(owner, 10**6),
    ):
        with pytest.raises(NotFound), transaction():
            attempt()
    assert reload(saved).user_id == owner.id and count(SavedAddress) == 1


def test_an_address_book_holds_at_most_ten(factory):
    buyer = factory.user()
    for _ in range(addresses.MAX_ADDRESSES):
        add(buyer)
    with pytest.raises(addresses.TooManyAddresses):
        add(buyer)
    assert count(SavedAddress) == addresses.MAX_ADDRESSES


def terms(**changes) -> ShippingTerms:
    values = {
        "offers_post": True,
        "post_rate": 500_000,
        "free_post_over": None,
        "offers_centre_pickup": False,
    }
    return ShippingTerms(**{**values, **changes})


def test_a_producer_sets_a_post_rate_and_a_free_threshold(app, factory):
    producer = factory.producer(centre=factory.centre())
    assert shipping_options(producer, 1) == {
        ShippingMethod.POST: app.config["SHOP_DEFAULT_POST_RATE"],
        ShippingMethod.CENTRE_PICKUP: 0,
    }

    with transaction():
        set_shipping_terms(producer, terms(free_post_over=3_000_000))

    producer = reload(producer)
    assert shipping_options(producer, 2_999_999) == {ShippingMethod.POST: 500_000}
    assert shipping_options(producer, 3_000_000) == {ShippingMethod.POST: 0}


def test_pick_up_only_for_a_producer_of_a_centre(factory):
    with_centre = factory.producer(centre=factory.centre())
    without = factory.producer()

    with transaction():
        set_shipping_terms(with_centre, terms(offers_post=False, offers_centre_pickup=True))
    with pytest.raises(NoCentre), transaction():
        set_shipping_terms(without, terms(offers_centre_pickup=True))

    assert shipping_options(reload(with_centre), 1) == {ShippingMethod.CENTRE_PICKUP: 0}
    assert reload(without).shipping_policy is None


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"post_rate": -1}, BadAmount, "post_rate"),
        ({"post_rate": 10**12}, BadAmount, "post_rate"),
        ({"post_rate": 1.5}, BadAmount, "post_rate"),
        ({"free_post_over": 0}, BadAmount, "free_post_over"),
        ({"offers_post": False}, NoWayToShip, "offers_post"),
    ],
)
def test_bad_shipping_terms_are_refused_and_change_nothing(factory, changes, error, field):
    producer = factory.producer()

    with pytest.raises(error) as refused, transaction():
        set_shipping_terms(producer, terms(**changes))

    assert refused.value.field == field
    assert reload(producer).shipping_policy is None
