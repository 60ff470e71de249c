"""Refunds never give back more than was captured, and asking twice — or ten times at once —
refunds once."""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from shop.database import transaction
from shop.extensions import db
from shop.orders import services as orders
from shop.payments import refunds
from shop.payments.models import Payment, PaymentStatus, Refund, RefundStatus
from tests.conftest import reload
from tests.orders.test_place_order import checkout
from tests.payments.test_stripe import begin, deliver, event, place


@pytest.fixture
def seller(factory):
    return factory.producer()


def delivered_cash_payment(factory, seller, price=1_000_000) -> Payment:
    """A cash-on-delivery parcel delivered and its cash received: a captured payment."""
    kilim = factory.listing(seller, price=price, stock=50)
    with transaction():
        order = orders.place_order(factory.user(), checkout({kilim.id: 1}, key=f"k{kilim.id}"))
    parcel = order.parcels[0]
    with transaction():
        orders.ship_parcel(seller, parcel, "پست", "123")
        orders.deliver_parcel(seller, parcel, cash_received=True)
    return reload(order.payments[0])


def given_back(payment_id: int) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(Refund.amount), 0)).where(
            Refund.payment_id == payment_id, Refund.status == RefundStatus.SUCCEEDED
        )
    )


def test_cash_is_paid_back_by_hand_and_never_more_than_was_received(factory, seller):
    payment = delivered_cash_payment(factory, seller)
    total = payment.amount

    part = refunds.refund_payment(payment.id, 300_000, "r1", "one corner frayed")
    assert part.status is RefundStatus.SUCCEEDED and part.by_hand
    with pytest.raises(refunds.RefundTooLarge):
        refunds.refund_payment(payment.id, total, "r2")
    assert given_back(payment.id) == 300_000
    assert reload(payment).status is PaymentStatus.CAPTURED

    refunds.refund_payment(payment.id, total - 300_000, "r3")
    assert reload(payment).status is PaymentStatus.REFUNDED
    with pytest.raises(refunds.NotRefundable):
        refunds.refund_payment(payment.id, 1, "r4")
    assert given_back(payment.id) == total


def test_asking_again_with_the_same_key_is_the_same_refund(factory, seller):
    payment = delivered_cash_payment(factory, seller)
    first = refunds.refund_payment(payment.id, 100_000, "same")
    again = refunds.refund_payment(payment.id, 100_000, "same")
    assert first.id == again.id and given_back(payment.id) == 100_000


@pytest.mark.parametrize("amount", [0, -1, 1.5, True, "100"])
def test_a_bad_amount_is_refused_and_changes_nothing(factory, seller, amount):
    payment = delivered_cash_payment(factory, seller)
    with pytest.raises(refunds.RefundTooLarge):
        refunds.refund_payment(payment.id, amount, "bad")
    assert db.session.scalar(select(func.count()).select_from(Refund)) == 0


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(amounts=st.lists(st.integers(min_value=1, max_value=1_200_000), min_size=1, max_size=8))
def test_any_sequence_of_partial_refunds_never_passes_what_was_captured(factory, seller, amounts):
    payment = delivered_cash_payment(factory, seller)
    captured = payment.amount
    expected = 0
    for n, amount in enumerate(amounts):
        try:
            refunds.refund_payment(payment.id, amount, f"p{payment.id}-{n}")
        except refunds.RefundTooLarge:
            assert expected + amount > captured  # refused only when it would pass it
        except refunds.NotRefundable:
            assert expected == captured  # all given back already
        else:
            expected += amount
        assert given_back(payment.id) == expected <= captured
    assert (reload(payment).status is PaymentStatus.REFUNDED) == (expected == captured)


def stripe_captured(client, factory, fake_stripe) -> Payment:
    scarf = factory.listing(factory.producer(), title="Silk scarf", price=4_500, stock=3)
    order = place(factory.user(), scarf)
    session = fake_stripe.complete(begin(order))
    assert deliver(client, event("checkout.session.completed", session)).status_code == 200
    return reload(order.payments[0])


def test_ten_full_refunds_at_once_make_one_refund_at_stripe(app, client, factory, fake_stripe):
    payment = stripe_captured(client, factory, fake_stripe)
    payment_id, amount = payment.id, payment.amount
    db.session.remove()
    barrier, outcomes = threading.Barrier(10), []

    def ask(n):
        with app.app_context():
            try:
                barrier.wait(10)
                refunds.refund_payment(payment_id, amount, f"full-{n}")
                outcomes.append("refunded")
            except refunds.RefundTooLarge:
                outcomes.append("too large")
            except refunds.NotRefundable:
                outcomes.append("not refundable")
            except Exception as exc:  # what the test looks for
                outcomes.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert sorted(outcomes).count("refunded") == 1, outcomes
    assert set(outcomes) <= {"refunded", "too large", "not refundable"}, outcomes
    assert len(fake_stripe.refunds) == 1 and fake_stripe.refunds[0]["amount"] == amount
    assert db.session.get(Payment, payment_id).status is PaymentStatus.REFUNDED


def test_a_refund_stripe_does_not_make_frees_its_amount(client, factory, fake_stripe):
    payment = stripe_captured(client, factory, fake_stripe)
    fake_stripe.fail_next("refunds", "500", "500")  # the library retries once

    with pytest.raises(refunds.RefundFailed):
        refunds.refund_payment(payment.id, 1_000, "try-1")
    assert given_back(payment.id) == 0
    assert reload(payment).status is PaymentStatus.CAPTURED

    done = refunds.refund_payment(payment.id, 1_000, "try-2")
    assert done.status is RefundStatus.SUCCEEDED and done.reference.startswith("re_")
    assert given_back(payment.id) == 1_000


def test_the_buyer_is_told_in_their_language_what_comes_back_and_how(factory, seller):
    from shop.mail.models import OutgoingMail

    payment = delivered_cash_payment(factory, seller)
    refunds.refund_payment(payment.id, 200_000, "told")
    buyer = payment.order.buyer
    [mail] = (
        OutgoingMail.query.filter_by(to_address=buyer.email)
        .filter(OutgoingMail.subject.contains(payment.order.number))
        .filter(OutgoingMail.body.contains("۲۰٬۰۰۰"))
        .all()
    )
    assert mail.locale == "fa" and "حضوری" in mail.body


def test_a_refund_left_pending_by_a_crash_is_finished_once_by_the_reconciler(
    client, factory, fake_stripe
):
    from datetime import timedelta

    from shop.database import utcnow
    from shop.payments.faults import Crash, crash_at

    payment = stripe_captured(client, factory, fake_stripe)
    with crash_at("refund:after-provider"), pytest.raises(Crash):
        refunds.refund_payment(payment.id, 1_000, "crash-1")  # Stripe refunded; we died
    db.session.rollback()
    [stuck] = reload(payment).refunds
    assert stuck.status is RefundStatus.PENDING
    # asking again is the same refund, still under way: nothing more is given back
    assert refunds.refund_payment(payment.id, 1_000, "crash-1").id == stuck.id
    assert refunds.resume_stuck() == 0  # too recent: it may still be in progress

    later = utcnow() + refunds.STUCK_AFTER + timedelta(seconds=1)
    assert refunds.resume_stuck(now=later) == 1
    assert refunds.resume_stuck(now=later) == 0  # nothing twice

    refund = reload(stuck)
    assert refund.status is RefundStatus.SUCCEEDED
    assert len(fake_stripe.refunds) == 1 and refund.reference == fake_stripe.refunds[0]["id"]
    assert given_back(payment.id) == 1_000


def test_an_interrupted_zarinpal_reversal_is_flagged_for_an_admin(factory, seller, gateway):

    from shop.database import utcnow
    from shop.payments import zarinpal
    from shop.payments.faults import Crash, crash_at
    from tests.payments.test_zarinpal import begin as begin_zarinpal
    from tests.payments.test_zarinpal import place_online

    kilim = factory.listing(seller, price=1_000_000, stock=5)
    order = place_online(factory.user(), kilim)
    authority = begin_zarinpal(order)
    gateway.pay(authority)
    zarinpal.settle(authority, "OK")
    payment = reload(order.payments[0])
    with crash_at("refund:after-provider"), pytest.raises(Crash):
        refunds.refund_payment(payment.id, payment.amount, "reverse-1")
    db.session.rollback()

    assert refunds.resume_stuck(now=utcnow() + refunds.STUCK_AFTER * 2) == 0
    assert reload(order).flagged == "refund_unknown"
    assert [r.status for r in reload(payment).refunds] == [RefundStatus.PENDING]
    assert gateway.payments[authority].state == "reversed"
    assert gateway.count("reverse.json") == 1  # not asked again: it cannot say what it did
