"""Stripe Checkout against a local fake Stripe, with webhooks signed as Stripe signs them: only
a valid signature changes anything, every event is applied once, deliveries in any order end
as a sequential run does, and a payment for an order no longer waiting is refunded."""

from __future__ import annotations

import itertools
import json
import threading
import time

import pytest
import stripe
from sqlalchemy import select

from shop.database import transaction, utcnow
from shop.extensions import db
from shop.orders import services as orders
from shop.orders.models import Order, OrderStatus
from shop.payments import stripe_checkout
from shop.payments.models import Payment, PaymentStatus, WebhookEvent
from tests.conftest import STRIPE_TEST_SECRET as SECRET
from tests.conftest import count, reload
from tests.orders.test_place_order import checkout

WEBHOOK = "/payments/stripe/webhook"


@pytest.fixture
def seller(factory):
    return factory.producer()


@pytest.fixture
def scarf(factory, seller):
    return factory.listing(seller, title="Silk scarf", price=4_500, stock=3)  # $45.00


def place(buyer, product, quantity=1, key="k1"):
    with transaction():
        return orders.place_order(
            buyer, checkout({product.id: quantity}, key=key, payment_method="stripe")
        )


def begin(order) -> str:
    url = stripe_checkout.begin_payment(
        order.id, "http://localhost/payments/stripe/success", "http://localhost/orders/x"
    )
    return url.rsplit("/", 1)[1]


def signed(event: dict, secret: str = SECRET, timestamp: int | None = None) -> tuple[str, str]:
    body = json.dumps(event)
    timestamp = int(time.time()) if timestamp is None else timestamp
    header = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp)
    return body, header


_ids = itertools.count(1)


def event(kind: str, session: dict) -> dict:
    return {
        "id": f"evt_{next(_ids)}_{time.monotonic_ns()}",
        "object": "event",
        "type": kind,
        "data": {"object": session},
    }


def deliver(client, payload: dict, **sign):
    body, header = signed(payload, **sign)
    return client.post(
        WEBHOOK, data=body, headers={"Stripe-Signature": header}, content_type="application/json"
    )


def assert_books_agree() -> None:
    db.session.expire_all()
    for order in db.session.scalars(select(Order).where(Order.payment_method == "stripe")):
        captured = [p for p in order.payments if p.status is PaymentStatus.CAPTURED]
        assert (order.status in (OrderStatus.PAID, OrderStatus.COMPLETED)) == bool(captured)
        assert len(captured) <= 1


def test_stripe_is_refused_for_rials_with_a_message_and_the_others_stay(app, caplog):
    from shop.payments.providers import provider_codes

    app.config.update(STRIPE_SECRET_KEY="sk_test_x", STRIPE_WEBHOOK_SECRET=SECRET)
    assert app.config["SHOP_CURRENCY"] == "IRR"
    assert "does not accept IRR" in stripe_checkout.refusal(app)
    with app.app_context():
        assert "stripe" not in provider_codes() and "cash" in provider_codes()
    stripe_checkout.check_at_start_up(app)
    assert "does not accept IRR" in caplog.text


def test_a_session_has_a_line_per_order_line_and_per_parcels_shipping(factory, scarf, fake_stripe):
    order = place(factory.user(), scarf, quantity=2)
    session_id = begin(order)
    session = fake_stripe.sessions[session_id]

    items = list(session["line_items_sent"].values())
    assert [(i["price_data"]["product_data"]["name"], i["quantity"]) for i in items] == [
        ("Silk scarf", "2"),
        (f"Shipping: {order.parcels[0].producer.shop_name}", "1"),
    ]
    assert session["amount_total"] == order.total  # cents
    assert session["metadata"] == {
        "order_number": order.number,
        "payment_id": str(order.payments[0].id),
    }
    # asking again for the same attempt is the same session (idempotency key from our ids)
    with transaction():
        db.session.get(Payment, order.payments[0].id).reference = ""
    assert begin(order) == session_id


@pytest.mark.parametrize(
    "forge",
    [
        "tampered body",
        "wrong secret",
        "too old",
        "in the future",
        "no header",
        "re-serialised",
        "not json",
    ],
)
def test_only_a_valid_signature_changes_anything(client, factory, scarf, fake_stripe, forge):
    order = place(factory.user(), scarf)
    session = fake_stripe.complete(begin(order))
    payload = event("checkout.session.completed", session)
    body, header = signed(payload)
    now = int(time.time())
    if forge == "tampered body":
        body = body.replace('"paid"', '"paid" ')
    elif forge == "wrong secret":
        body, header = signed(payload, secret="whsec_other")
    elif forge == "too old":
        body, header = signed(payload, timestamp=now - 3600)
    elif forge == "in the future":
        body, header = signed(payload, timestamp=now + 3600)
    elif forge == "no header":
        header = None
    elif forge == "re-serialised":
        body = json.dumps(json.loads(body), indent=2)
    elif forge == "not json":
        body = "not json at all"
        header = stripe.WebhookSignature.generate_signature_header(body, SECRET, now)
    headers = {"Stripe-Signature": header} if header else {}

    response = client.post(WEBHOOK, data=body, headers=headers, content_type="application/json")

    assert response.status_code == 400
    assert reload(order).status is OrderStatus.AWAITING_PAYMENT
    assert count(WebhookEvent) == 0

    assert deliver(client, payload).status_code == 200  # the genuine one still works
    assert reload(order).status is OrderStatus.PAID


def test_one_completion_delivered_ten_times_in_a_row_pays_once(client, factory, scarf, fake_stripe):
    order = place(factory.user(), scarf)
    session = fake_stripe.complete(begin(order))
    payload = event("checkout.session.completed", session)

    answers = [deliver(client, payload).status_code for _ in range(10)]

    assert answers == [200] * 10
    assert count(WebhookEvent) == 1
    order = reload(order)
    assert order.status is OrderStatus.PAID
    assert [p.status for p in order.payments] == [PaymentStatus.CAPTURED]
    assert_books_agree()


def test_one_completion_delivered_ten_times_at_once_pays_once(app, factory, scarf, fake_stripe):
    order = place(factory.user(), scarf)
    session = fake_stripe.complete(begin(order))
    payload = event("checkout.session.completed", session)
    body, header = signed(payload)
    number = order.number
    db.session.remove()
    barrier, answers = threading.Barrier(10), []

    def post():
        client = app.test_client()
        barrier.wait(10)
        answers.append(
            client.post(
                WEBHOOK,
                data=body,
                headers={"Stripe-Signature": header},
                content_type="application/json",
            ).status_code
        )

    threads = [threading.Thread(target=post) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert answers == [200] * 10
    order = db.session.scalars(select(Order).where(Order.number == number)).one()
    assert order.status is OrderStatus.PAID and count(WebhookEvent) == 1
    assert [p.status for p in order.payments] == [PaymentStatus.CAPTURED]


@pytest.mark.parametrize(
    "sequence",
    list(itertools.permutations(["completed", "async_payment_succeeded", "expired"])),
    ids=lambda s: ">".join(s),
)
def test_every_order_of_deliveries_ends_as_a_sequential_run(
    client, factory, scarf, fake_stripe, sequence
):
    order = place(factory.user(), scarf)
    session_id = begin(order)
    unpaid = fake_stripe.complete(session_id, payment_status="unpaid")  # a delayed method
    paid = {**unpaid, "payment_status": "paid"}
    bodies = {
        "completed": event("checkout.session.completed", unpaid),
        "async_payment_succeeded": event("checkout.session.async_payment_succeeded", paid),
        "expired": event("checkout.session.expired", {**unpaid, "status": "expired"}),
    }
    for name in sequence:
        assert deliver(client, bodies[name]).status_code == 200

    order = reload(order)
    assert order.status is OrderStatus.PAID
    assert [p.status for p in order.payments] == [PaymentStatus.CAPTURED]
    assert_books_agree()


def test_a_payment_after_the_order_was_cancelled_is_refunded(client, factory, scarf, fake_stripe):
    buyer = factory.user()
    order = place(buyer, scarf)
    session = fake_stripe.complete(begin(order))
    with transaction():
        orders.cancel_parcel(buyer, db.session.get(Order, order.id).parcels[0])

    assert deliver(client, event("checkout.session.completed", session)).status_code == 200
    deliver(client, event("checkout.session.completed", session))  # Stripe retries

    order = reload(order)
    assert order.status is OrderStatus.CANCELLED
    assert [p.status for p in order.payments] == [PaymentStatus.REFUNDED]
    assert [r["payment_intent"] for r in fake_stripe.refunds] == [session["payment_intent"]]
    assert_books_agree()


def test_a_session_that_does_not_match_the_order_flags_it(client, factory, scarf, fake_stripe):
    order = place(factory.user(), scarf)
    session = {**fake_stripe.complete(begin(order)), "amount_total": 1}

    assert deliver(client, event("checkout.session.completed", session)).status_code == 200

    order = reload(order)
    assert order.status is OrderStatus.AWAITING_PAYMENT and order.flagged == "payment_mismatch"


def test_unknown_events_and_sessions_are_answered_200_and_change_nothing(
    client, factory, scarf, fake_stripe
):
    order = place(factory.user(), scarf)
    begin(order)
    assert deliver(client, event("customer.created", {"id": "cus_1"})).status_code == 200
    stranger = {
        "id": "cs_test_unknown",
        "payment_status": "paid",
        "amount_total": 1,
        "currency": "usd",
    }
    assert deliver(client, event("checkout.session.completed", stranger)).status_code == 200
    assert reload(order).status is OrderStatus.AWAITING_PAYMENT


def test_the_success_page_never_marks_anything_paid(client, login_as, factory, scarf, fake_stripe):
    buyer = factory.user()
    order = place(buyer, scarf)
    session_id = begin(order)
    fake_stripe.complete(session_id)
    login_as(buyer)

    page = client.get(f"/payments/stripe/success?session_id={session_id}")

    assert page.status_code == 200
    assert reload(order).status is OrderStatus.AWAITING_PAYMENT


def test_the_reconciler_asks_stripe_about_an_open_session(factory, scarf, fake_stripe, monkeypatch):
    from datetime import timedelta

    order = place(factory.user(), scarf)
    fake_stripe.complete(begin(order))  # paid, but the webhook never came
    later = utcnow() + timedelta(minutes=5)

    assert stripe_checkout.reconcile(now=later)["paid"] == 1
    assert reload(order).status is OrderStatus.PAID
    assert stripe_checkout.reconcile(now=later)["paid"] == 0  # nothing twice
    assert_books_agree()


def test_a_session_closes_with_the_orders_time_to_pay_and_a_refusal_starts_afresh(
    factory, scarf, fake_stripe
):
    order = place(factory.user(), scarf)
    fake_stripe.fail_next("sessions.create", "400")
    with pytest.raises(stripe_checkout.StripeDown):
        begin(order)
    assert [p.status for p in reload(order).payments] == [PaymentStatus.FAILED]

    session = fake_stripe.sessions[begin(order)]  # a new attempt, under a new key

    order = reload(order)
    opened = order.payments[1].created_at
    assert [p.status for p in order.payments] == [PaymentStatus.FAILED, PaymentStatus.PENDING]
    # the order waits 30 minutes; Stripe's shortest session is 30 minutes from its creation
    assert session["expires_at"] == int((opened + stripe_checkout.MINIMUM_SESSION).timestamp())


# -- crashes and the reconciler --------------------------------------------------------------


def _deliver_directly(kind: str, session: dict):
    """What the webhook view does with a verified event (a crash inside it propagates)."""
    return stripe_checkout.handle_event(event(kind, session))


@pytest.mark.parametrize(
    "point", ["after-session", "before-commit", "before-late-refund", "after-late-refund"]
)
def test_a_crash_between_any_two_steps_is_repaired_by_the_reconciler(
    factory, scarf, fake_stripe, point
):
    from datetime import timedelta

    from shop.payments.faults import Crash, crash_at
    from shop.payments.reconcile import reconcile_all

    buyer = factory.user()
    order = place(buyer, scarf)
    late = point.endswith("late-refund")
    with crash_at(f"stripe:{point}"), pytest.raises(Crash):
        session = fake_stripe.complete(begin(order))
        if late:  # the buyer cancelled while paying at Stripe
            with transaction():
                orders.cancel_parcel(buyer, db.session.get(Order, order.id).parcels[0])
        _deliver_directly("checkout.session.completed", session)
    db.session.rollback()
    if point == "after-session":  # the buyer saw an error and tries again: the same session
        [session_id] = fake_stripe.sessions
        assert begin(order) == session_id
        session = fake_stripe.complete(session_id)  # … and pays, but the webhook is lost

    later = utcnow() + timedelta(minutes=5)
    counts = stripe_checkout.reconcile(now=later)
    reconcile_all()  # and again, with everything else the reconciler does: nothing twice
    _deliver_directly("checkout.session.completed", session)  # Stripe redelivers at last

    order = reload(order)
    assert len(fake_stripe.sessions) == 1
    if late:
        assert counts["refunded"] == 1 and order.status is OrderStatus.CANCELLED
        assert [p.status for p in order.payments] == [PaymentStatus.REFUNDED]
        assert [r["payment_intent"] for r in fake_stripe.refunds] == [session["payment_intent"]]
    else:
        assert counts["paid"] == 1 and order.status is OrderStatus.PAID
        assert [p.status for p in order.payments] == [PaymentStatus.CAPTURED]
        assert fake_stripe.refunds == []
    assert_books_agree()


# -- a paid parcel cancelled ---------------------------------------------------------------------


def test_a_paid_parcel_cancelled_or_refused_gives_its_money_back_once(
    client, login_as, factory, scarf, seller, fake_stripe
):
    other_seller = factory.producer()
    shawl = factory.listing(other_seller, title="Shawl", price=3_000, stock=2)
    buyer = factory.user()
    with transaction():
        order = orders.place_order(
            buyer, checkout({scarf.id: 1, shawl.id: 1}, key="two", payment_method="stripe")
        )
    session = fake_stripe.complete(begin(order))
    assert deliver(client, event("checkout.session.completed", session)).status_code == 200
    first, second = reload(order).parcels

    login_as(buyer)
    cancelled = client.post(f"/orders/{order.number}/parcels/{first.id}/cancel")
    assert cancelled.status_code == 303
    assert [r["amount"] for r in fake_stripe.refunds] == [first.total]
    order = reload(order)
    assert order.status is OrderStatus.PAID  # the other parcel is still coming
    assert [p.status for p in order.payments] == [PaymentStatus.CAPTURED]

    refused = second.producer
    with transaction():
        orders.refuse_parcel(refused, db.session.get(type(second), second.id), "No silk left")
    # the process died before asking Stripe: the reconciler does it, once
    from shop.payments.reconcile import reconcile_all

    assert reconcile_all()["refunds finished"] == 1
    assert reconcile_all()["refunds finished"] == 0
    assert [r["amount"] for r in fake_stripe.refunds] == [first.total, second.total]
    order = reload(order)
    assert order.status is OrderStatus.CANCELLED
    assert [p.status for p in order.payments] == [PaymentStatus.REFUNDED]
    assert_books_agree()


def test_a_cancelled_parcels_refund_stripe_refuses_is_asked_again(factory, scarf, fake_stripe):
    from shop.payments import refunds
    from shop.payments.models import RefundStatus
    from shop.payments.reconcile import reconcile_all

    buyer = factory.user()
    order = place(buyer, scarf)
    session = fake_stripe.complete(begin(order))
    stripe_checkout.handle_event(event("checkout.session.completed", session))
    parcel_id = reload(order).parcels[0].id
    with transaction():
        orders.cancel_parcel(buyer, db.session.get(Order, order.id).parcels[0])
    fake_stripe.fail_next("refunds", "500", "500")  # the library retries once

    assert refunds.pay_back_cancelled(parcel_id) is None
    assert [r.status for r in reload(order).payments[0].refunds] == [RefundStatus.FAILED]
    assert reconcile_all()["refunds finished"] == 1

    order = reload(order)
    assert [r.status for r in order.payments[0].refunds] == [RefundStatus.SUCCEEDED]
    assert order.payments[0].status is PaymentStatus.REFUNDED
    assert len(fake_stripe.refunds) == 1
    assert_books_agree()
