"""The admin's payments page: every payment with its refunds, flagged orders, providers' events,
and a direct refund that never gives back more than was received, once per form."""

from __future__ import annotations

from shop.database import transaction
from shop.extensions import db
from shop.orders import services as orders
from shop.payments.models import Payment, PaymentStatus, Refund
from tests.conftest import count, reload
from tests.orders.test_place_order import checkout


def captured_cash(factory):
    seller = factory.producer()
    kilim = factory.listing(seller, price=1_000_000, stock=5)
    with transaction():
        order = orders.place_order(factory.user(), checkout({kilim.id: 1}))
    with transaction():
        orders.ship_parcel(seller, order.parcels[0], "پست", "1")
        orders.deliver_parcel(seller, order.parcels[0], cash_received=True)
    return reload(order)


def test_an_admin_sees_payments_and_refunds_one_by_hand_once(client, login_as, factory):
    order = captured_cash(factory)
    payment = order.payments[0]
    with transaction():
        db.session.get(type(order), order.id).flagged = "payment_mismatch"
    login_as(factory.admin())

    page = client.get("/admin/payments")
    assert page.status_code == 200
    assert (
        order.number in page.text and f'action="/admin/payments/{payment.id}/refund"' in page.text
    )

    form = {"amount": "۵۰٬۰۰۰", "reason": "گوشه‌ی گلیم شکافته بود", "key": "form-1"}
    first = client.post(f"/admin/payments/{payment.id}/refund", data=form)
    again = client.post(f"/admin/payments/{payment.id}/refund", data=form)  # sent twice

    assert first.status_code == again.status_code == 303
    assert count(Refund) == 1 and Refund.query.one().amount == 500_000  # toman → rials
    too_much = client.post(
        f"/admin/payments/{payment.id}/refund",
        data={"amount": "۱۰۰۰۰۰۰۰", "reason": "همه", "key": "form-2"},
    )
    assert too_much.status_code == 409 and count(Refund) == 1
    no_reason = client.post(
        f"/admin/payments/{payment.id}/refund", data={"amount": "1", "reason": "", "key": "form-3"}
    )
    assert no_reason.status_code == 400 and count(Refund) == 1
    assert client.post("/admin/payments/999999/refund", data=form).status_code == 404
    assert reload(payment).status is PaymentStatus.CAPTURED


def test_only_admins_open_the_payments_page(client, login_as, factory):
    order = captured_cash(factory)
    login_as(order.buyer)
    assert client.get("/admin/payments").status_code in (403, 404)
    refused = client.post(
        f"/admin/payments/{order.payments[0].id}/refund",
        data={"amount": "1", "reason": "x", "key": "k"},
    )
    assert refused.status_code in (403, 404) and count(Refund) == 0
    assert db.session.get(Payment, order.payments[0].id).status is PaymentStatus.CAPTURED
