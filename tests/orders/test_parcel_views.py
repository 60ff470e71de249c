"""A producer's parcel pages: new parcels counted in the header, opened, sent with a
tracking code, delivered with the cash received, or refused with a reason — and never another
producer's."""

from __future__ import annotations

import pytest

from shop.database import transaction
from shop.orders import services as orders
from shop.orders.models import OrderStatus, ParcelStatus
from tests.conftest import reload
from tests.orders.test_place_order import checkout


@pytest.fixture
def sold(factory):
    weaver = factory.producer(shop_name="کارگاه گلیم")
    kilim = factory.listing(weaver, title="گلیم قشقایی", stock=3)
    buyer = factory.user()
    with transaction():
        order = orders.place_order(buyer, checkout({kilim.id: 2}))
    return weaver, kilim, buyer, order.parcels[0]


def test_a_new_parcel_is_counted_opened_sent_and_delivered(client, login_as, sold):
    weaver, _kilim, _buyer, parcel = sold
    login_as(weaver.user)

    assert '<span class="count">۱</span>' in client.get("/producer/").text
    listed = client.get("/producer/parcels").text
    assert f"/producer/parcels/{parcel.id}" in listed and "گلیم قشقایی" in listed

    page = client.get(f"/producer/parcels/{parcel.id}")
    assert page.status_code == 200 and "9177948974" in page.text.translate(
        str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
    )
    assert reload(parcel).seen_at is not None
    assert '<span class="count">' not in client.get("/producer/").text
    assert client.get(f"/producer/parcels/{parcel.id}/slip").status_code == 200

    sent = client.post(
        f"/producer/parcels/{parcel.id}/ship", data={"carrier": "پست", "tracking_code": "RR1IR"}
    )
    assert sent.status_code == 303
    done = client.post(f"/producer/parcels/{parcel.id}/deliver", data={"cash_received": "y"})
    assert done.status_code == 303

    parcel = reload(parcel)
    assert parcel.status is ParcelStatus.DELIVERED and parcel.tracking_code == "RR1IR"
    assert parcel.order.status is OrderStatus.COMPLETED


def test_sending_by_post_needs_a_tracking_code_and_a_refusal_a_reason(client, login_as, sold):
    weaver, kilim, _buyer, parcel = sold
    login_as(weaver.user)

    no_code = client.post(f"/producer/parcels/{parcel.id}/ship", data={"carrier": "پست"})
    no_reason = client.post(f"/producer/parcels/{parcel.id}/refuse", data={"reason": " "})

    assert no_code.status_code == 400 and "کد رهگیری" in no_code.text
    assert no_reason.status_code == 400
    assert reload(parcel).status is ParcelStatus.PREPARING and reload(kilim).stock_quantity == 1

    refused = client.post(f"/producer/parcels/{parcel.id}/refuse", data={"reason": "تمام شد"})
    assert refused.status_code == 303
    assert reload(parcel).status is ParcelStatus.CANCELLED and reload(kilim).stock_quantity == 3
    again = client.post(f"/producer/parcels/{parcel.id}/refuse", data={"reason": "تمام شد"})
    assert again.status_code == 409


def test_another_producer_gets_a_404_everywhere_and_changes_nothing(
    client, login_as, factory, sold
):
    _weaver, _kilim, _buyer, parcel = sold
    login_as(factory.producer().user)

    for url in (f"/producer/parcels/{parcel.id}", f"/producer/parcels/{parcel.id}/slip"):
        assert client.get(url).status_code == 404, url
    for action, data in (
        ("ship", {"carrier": "x", "tracking_code": "y"}),
        ("deliver", {"cash_received": "y"}),
        ("refuse", {"reason": "x"}),
    ):
        assert client.post(f"/producer/parcels/{parcel.id}/{action}", data=data).status_code == 404
    parcel = reload(parcel)
    assert parcel.status is ParcelStatus.PREPARING and parcel.seen_at is None


def test_an_unknown_tab_is_a_400_and_buyers_cannot_open_the_pages(client, login_as, sold):
    weaver, _kilim, buyer, parcel = sold
    login_as(weaver.user)
    assert client.get("/producer/parcels?tab=secret").status_code == 400
    client.post("/logout")

    login_as(buyer)
    response = client.get(f"/producer/parcels/{parcel.id}")
    assert response.status_code in (302, 303)  # to the shop application, not the parcel
