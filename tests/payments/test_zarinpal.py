"""Zarinpal against a local fake gateway: the buyer is sent to pay, the callback's query string
is never trusted (the gateway verifies, for the amount we stored), each payment is captured
once however often and however concurrently it is confirmed, a payment that arrives too late is
never taken (or is given back), and the reconciler repairs whatever a crash left."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from shop.database import transaction, utcnow
from shop.extensions import db
from shop.mail.models import OutgoingMail
from shop.orders import services as orders
from shop.orders.models import Order, OrderStatus, ParcelStatus
from shop.payments import zarinpal
from shop.payments.amounts import UnsupportedCurrency, accepts, provider_amount
from shop.payments.faults import Crash, crash_at, run_at
from shop.payments.models import Payment, PaymentStatus
from shop.payments.zarinpal_client import GatewayRefused, GatewayUnavailable, ZarinpalClient
from tests.conftest import count, reload
from tests.orders.test_place_order import checkout

# -- amounts ---------------------------------------------------------------------------------


def test_one_conversion_to_each_providers_amount():
    assert provider_amount(1_250_000, "IRR", "zarinpal") == 1_250_000  # rials stay rials
    assert provider_amount(1999, "USD", "stripe") == 1999  # cents stay cents
    assert provider_amount(500, "EUR", "stripe") == 500
    with pytest.raises(UnsupportedCurrency):
        provider_amount(1000, "IRR", "stripe")  # Stripe does not take rials
    with pytest.raises(UnsupportedCurrency):
        provider_amount(1000, "USD", "zarinpal")
    for bad in (0, -5, 1.5, True, "100"):
        with pytest.raises(ValueError):
            provider_amount(bad, "IRR", "zarinpal")
    assert accepts("zarinpal", "IRR") and not accepts("stripe", "IRR")


# -- the client ------------------------------------------------------------------------------


def test_the_client_requests_verifies_and_lists_against_the_gateway(gateway):
    client = ZarinpalClient(gateway.merchant_id, api_base=gateway.url, timeout=1)
    authority = client.request_payment(150_000, "http://shop/cb", "order X", {"order_id": "X"})
    assert client.start_pay_url(authority) == f"{gateway.url}/pg/StartPay/{authority}"
    with pytest.raises(GatewayRefused) as refused:
        client.verify(authority, 150_000)  # not paid yet
    assert refused.value.code == -51

    gateway.pay(authority)
    assert [u.authority for u in client.unverified()] == [authority]
    with pytest.raises(GatewayRefused):
        client.verify(authority, 999)  # another amount
    first = client.verify(authority, 150_000)
    again = client.verify(authority, 150_000)
    assert first.ref_id and not first.again
    assert again.again and again.ref_id == first.ref_id
    assert client.unverified() == []


@pytest.mark.parametrize("how", ["500", "timeout", "garbage"])
def test_a_gateway_that_fails_is_unavailable_not_an_error_page(gateway, how):
    client = ZarinpalClient(gateway.merchant_id, api_base=gateway.url, timeout=2)
    gateway.fail_next("request.json", how)
    with pytest.raises(GatewayUnavailable):
        client.request_payment(150_000, "http://shop/cb", "order", {})
    with pytest.raises(GatewayRefused):  # a wrong merchant id is a refusal
        ZarinpalClient("wrong", api_base=gateway.url).request_payment(150_000, "x", "y", {})


# -- a buyer pays ----------------------------------------------------------------------------


@pytest.fixture
def seller(factory):
    return factory.producer()


@pytest.fixture
def kilim(factory, seller):
    return factory.listing(seller, title="گلیم", price=2_000_000, stock=3)


def place_online(buyer, product, quantity=1, key="k1"):
    with transaction():
        return orders.place_order(
            buyer, checkout({product.id: quantity}, key=key, payment_method="zarinpal")
        )


def begin(order) -> str:
    """Ask the gateway for the order's payment; its authority."""
    url = zarinpal.begin_payment(order.id, "http://localhost/payments/zarinpal/callback")
    return url.rsplit("/", 1)[1]


def assert_books_agree() -> None:
    """No paid order without a captured payment; no captured payment without a paid order
    (given back payments are refunded, not captured)."""
    db.session.expire_all()
    paid = (OrderStatus.PAID, OrderStatus.COMPLETED)
    for order in db.session.scalars(select(Order).where(Order.payment_method == "zarinpal")):
        captured = [p for p in order.payments if p.status is PaymentStatus.CAPTURED]
        assert (order.status in paid) == bool(captured), (order.number, order.status)
        assert len(captured) <= 1


def test_checkout_offers_zarinpal_only_when_it_is_set_up(app, client, login_as, factory, kilim):
    login_as(factory.user())
    client.post("/cart/add", data={"product_id": str(kilim.id)})
    assert 'value="zarinpal"' not in client.get("/checkout").text
    app.config.update(SHOP_ZARINPAL_MERCHANT_ID="x" * 36)
    assert 'value="zarinpal"' in client.get("/checkout").text
    app.config.update(SHOP_CURRENCY="USD")
    assert 'value="zarinpal"' not in client.get("/checkout").text


def test_placing_an_online_order_sends_the_buyer_to_the_gateway_and_the_callback_pays_it(
    client, login_as, factory, kilim, gateway
):
    import re

    from tests.orders.test_views import FORM, hidden

    buyer = factory.user()
    login_as(buyer)
    client.post("/cart/add", data={"product_id": str(kilim.id), "quantity": "2"})
    html = client.get("/checkout").text
    form = {**FORM, "payment_method": "zarinpal"}
    form |= {"reviewed": hidden(html, "reviewed"), "key": hidden(html, "key")}
    response = client.post("/checkout", data=form)

    assert response.status_code == 303
    start_pay = response.headers["Location"]
    authority = re.search(r"/pg/StartPay/(A\d+)$", start_pay).group(1)
    order = Order.query.one()
    assert order.status is OrderStatus.AWAITING_PAYMENT and reload(kilim).stock_quantity == 1
    fake = gateway.payments[authority]
    assert fake.amount == 4_000_000 + 800_000  # rials: the order's total as we computed it
    assert fake.metadata == {"order_id": order.number, "mobile": "09121234567"}
    assert count(OutgoingMail, OutgoingMail.subject.contains(order.number)) >= 0

    gateway.pay(authority)
    back = client.get(f"/payments/zarinpal/callback?Authority={authority}&Status=OK")

    assert back.status_code == 303 and back.headers["Location"] == f"/orders/{order.number}"
    order = reload(order)
    assert order.status is OrderStatus.PAID
    assert {p.status for p in order.parcels} == {ParcelStatus.PREPARING}
    [payment] = order.payments
    assert payment.status is PaymentStatus.CAPTURED and payment.transaction_id
    assert payment.card_pan.startswith("6037") and payment.verifying_until is None
    assert gateway.count("verify.json") == 1
    assert_books_agree()


def test_the_callbacks_query_string_is_never_trusted(client, factory, kilim, gateway):
    order = place_online(factory.user(), kilim)
    authority = begin(order)

    # "OK" for a payment the gateway says was never made
    forged = client.get(f"/payments/zarinpal/callback?Authority={authority}&Status=OK")
    assert forged.status_code == 402
    assert reload(order).status is OrderStatus.AWAITING_PAYMENT
    # a made-up authority, an over-long one, none at all
    for query in ("Authority=A123&Status=OK", f"Authority={'A' * 500}&Status=OK", ""):
        assert client.get(f"/payments/zarinpal/callback?{query}").status_code == 404
    # "NOK" changes nothing and asks the gateway nothing
    second = begin(order)
    verified = gateway.count("verify.json")
    assert (
        client.get(f"/payments/zarinpal/callback?Authority={second}&Status=NOK").status_code == 402
    )
    assert gateway.count("verify.json") == verified
    assert reload(order).status is OrderStatus.AWAITING_PAYMENT
    assert_books_agree()


def test_one_payment_confirmed_ten_times_in_a_row_is_captured_once(client, factory, kilim, gateway):
    order = place_online(factory.user(), kilim)
    authority = begin(order)
    gateway.pay(authority)

    for _ in range(10):
        client.get(f"/payments/zarinpal/callback?Authority={authority}&Status=OK")
    for _ in range(3):
        zarinpal.settle(authority, None)  # the reconciler asking again

    order = reload(order)
    assert order.status is OrderStatus.PAID
    assert [p.status for p in order.payments] == [PaymentStatus.CAPTURED]
    assert count(OutgoingMail, OutgoingMail.to_address == order.parcels[0].producer.user.email) == 1
    assert_books_agree()


def test_one_payment_confirmed_ten_times_at_once_is_captured_once(app, factory, kilim, gateway):
    order = place_online(factory.user(), kilim)
    authority = begin(order)
    gateway.pay(authority)
    gateway.delay = 0.05  # every verification in flight together
    number = order.number
    db.session.remove()
    barrier, results = threading.Barrier(10), []

    def confirm(status):
        with app.app_context():
            try:
                barrier.wait(10)
                results.append(zarinpal.settle(authority, status).result)
            except Exception as exc:  # what the test looks for
                results.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=confirm, args=("OK" if n % 2 else None,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert set(results) == {"paid"}, results
    order = db.session.scalars(select(Order).where(Order.number == number)).one()
    assert order.status is OrderStatus.PAID
    assert [p.status for p in order.payments] == [PaymentStatus.CAPTURED]
    assert gateway.payments[authority].state == "verified"
    assert_books_agree()


def test_a_payment_for_an_expired_order_is_never_taken(client, factory, kilim, gateway):
    order = place_online(factory.user(), kilim)
    authority = begin(order)
    gateway.pay(authority)
    with transaction():
        orders.expire_orders(now=utcnow() + timedelta(hours=1))

    back = client.get(f"/payments/zarinpal/callback?Authority={authority}&Status=OK")

    assert back.status_code == 402
    order = reload(order)
    assert order.status is OrderStatus.EXPIRED and reload(kilim).stock_quantity == 3
    assert gateway.count("verify.json") == 0  # unverified: the gateway gives it back itself
    assert gateway.payments[authority].state == "paid"
    assert [p.status for p in order.payments] == [PaymentStatus.CANCELLED]
    assert_books_agree()


def test_a_payment_for_an_order_the_buyer_cancelled_is_never_taken(client, factory, kilim, gateway):
    buyer = factory.user()
    order = place_online(buyer, kilim)
    authority = begin(order)
    with transaction():
        orders.cancel_parcel(buyer, db.session.get(Order, order.id).parcels[0])
    gateway.pay(authority)  # in another tab, after cancelling

    back = client.get(f"/payments/zarinpal/callback?Authority={authority}&Status=OK")

    assert back.status_code == 402
    assert reload(order).status is OrderStatus.CANCELLED
    assert gateway.count("verify.json") == 0 and gateway.payments[authority].state == "paid"
    assert [p.note for p in reload(order).payments] == ["late"]
    assert_books_agree()


def test_a_payment_being_verified_holds_the_order_from_expiring(factory, kilim, gateway):
    order = place_online(factory.user(), kilim)
    authority = begin(order)
    gateway.pay(authority)
    with transaction():
        db.session.get(Order, order.id).expires_at = utcnow() - timedelta(seconds=1)
    with crash_at("zarinpal:before-verify"), pytest.raises(Crash):
        zarinpal.settle(authority, "OK")  # the lease is taken, then the verification dies

    with transaction():
        assert orders.expire_orders() == []  # held by the lease
    assert zarinpal.settle(authority, "OK").result == "paid"
    assert reload(order).status is OrderStatus.PAID
    assert_books_agree()


def test_a_payment_verified_while_the_buyer_cancelled_is_given_back(factory, kilim, gateway):
    buyer = factory.user()
    order = place_online(buyer, kilim)
    authority = begin(order)
    gateway.pay(authority)

    def cancel_meanwhile():
        with transaction():
            orders.cancel_parcel(buyer, db.session.get(Order, order.id).parcels[0])

    with run_at("zarinpal:after-verify", cancel_meanwhile):
        outcome = zarinpal.settle(authority, "OK")

    assert outcome.result == "too_late"
    order = reload(order)
    assert order.status is OrderStatus.CANCELLED and reload(kilim).stock_quantity == 3
    [payment] = order.payments
    assert payment.status is PaymentStatus.REFUNDED and payment.refunded_at is not None
    assert gateway.payments[authority].state == "reversed"
    assert_books_agree()


def test_a_payment_that_does_not_match_its_order_is_flagged_not_paid(
    client, factory, kilim, gateway
):
    order = place_online(factory.user(), kilim)
    authority = begin(order)
    gateway.pay(authority)
    with transaction():
        db.session.get(Payment, order.payments[0].id).amount = 1_000  # tampered in our table

    back = client.get(f"/payments/zarinpal/callback?Authority={authority}&Status=OK")

    assert back.status_code == 402
    order = reload(order)
    assert order.status is OrderStatus.AWAITING_PAYMENT and order.flagged
    assert gateway.count("verify.json") == 0
    assert_books_agree()


def test_the_gateway_down_at_checkout_leaves_the_order_to_pay_again_or_on_delivery(
    client, login_as, factory, kilim, gateway
):
    from tests.orders.test_views import FORM, hidden

    buyer = factory.user()
    login_as(buyer)
    client.post("/cart/add", data={"product_id": str(kilim.id)})
    html = client.get("/checkout").text
    gateway.fail_next("request.json", "500")
    form = {**FORM, "payment_method": "zarinpal"}
    form |= {"reviewed": hidden(html, "reviewed"), "key": hidden(html, "key")}
    response = client.post("/checkout", data=form)

    order = Order.query.one()
    assert response.headers["Location"] == f"/orders/{order.number}"
    page = client.get(f"/orders/{order.number}").text
    assert f"/orders/{order.number}/pay" in page and "pay-on-delivery" in page

    again = client.post(f"/orders/{order.number}/pay")
    assert again.status_code == 303 and "/pg/StartPay/" in again.headers["Location"]

    cash = client.post(f"/orders/{order.number}/pay-on-delivery")
    assert cash.status_code == 303
    order = reload(order)
    assert order.status is OrderStatus.PLACED and order.payment_method == "cash"
    assert {p.provider: p.status for p in order.payments} == {
        "zarinpal": PaymentStatus.CANCELLED,
        "cash": PaymentStatus.PENDING,
    }
    assert {p.status for p in order.parcels} == {ParcelStatus.PREPARING}
    assert client.post(f"/orders/{order.number}/pay").status_code == 303  # nothing to pay now
    assert reload(order).status is OrderStatus.PLACED


def test_another_buyer_cannot_pay_or_switch_someone_elses_order(
    client, login_as, factory, kilim, gateway
):
    order = place_online(factory.user(), kilim)
    login_as(factory.user())
    assert client.post(f"/orders/{order.number}/pay").status_code == 404
    assert client.post(f"/orders/{order.number}/pay-on-delivery").status_code == 404
    assert reload(order).status is OrderStatus.AWAITING_PAYMENT


# -- crashes and the reconciler --------------------------------------------------------------


@pytest.mark.parametrize("point", ["after-request", "before-verify", "after-verify"])
def test_a_crash_between_any_two_steps_is_repaired_by_the_reconciler(
    monkeypatch, runner, factory, kilim, gateway, point
):
    order = place_online(factory.user(), kilim)
    with crash_at(f"zarinpal:{point}"), pytest.raises(Crash):
        authority = begin(order)
        gateway.pay(authority)
        zarinpal.settle(authority, "OK")
    db.session.rollback()
    if point == "after-request":  # we never learnt the authority: the buyer paid nothing
        [authority] = gateway.payments

    later = utcnow() + timedelta(minutes=40)
    monkeypatch.setattr(zarinpal, "utcnow", lambda: later)
    with runner.app.app_context():
        counts = zarinpal.reconcile(now=later)
        with transaction():
            orders.expire_orders(now=later)

    order = reload(order)
    if point == "after-request":
        assert counts["dropped"] == 1 and order.status is OrderStatus.EXPIRED
        assert gateway.payments[authority].state == "new"
    else:  # the buyer paid: the reconciler verifies (again) and the order is paid
        assert counts["paid"] == 1 and order.status is OrderStatus.PAID
        assert gateway.payments[authority].state == "verified"
    assert_books_agree()


def test_shop_payments_reconcile_runs_from_the_command_line(
    runner, factory, kilim, gateway, monkeypatch
):
    order = place_online(factory.user(), kilim)
    authority = begin(order)
    gateway.pay(authority)  # the buyer paid but never came back
    with transaction():
        payment = db.session.get(Payment, order.payments[0].id)
        payment.created_at = utcnow() - timedelta(minutes=5)

    result = runner.invoke(args=["payments", "reconcile"])

    assert result.exit_code == 0, result.output
    assert "zarinpal paid: 1" in result.output
    assert reload(order).status is OrderStatus.PAID
    assert_books_agree()


def test_the_database_refuses_a_status_a_payment_cannot_have(factory, kilim, gateway):
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    order = place_online(factory.user(), kilim)
    payment_id = order.payments[0].id
    with transaction():
        db.session.execute(
            text("UPDATE payments SET status = 'refunded' WHERE id = :id"), {"id": payment_id}
        )
    with pytest.raises(IntegrityError), transaction():
        db.session.execute(
            text("UPDATE payments SET status = 'bogus' WHERE id = :id"), {"id": payment_id}
        )


def test_the_pages_let_a_form_lead_to_the_gateway_only_when_it_is_offered(app, client, gateway):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert f"form-action 'self' {gateway.url};" in policy
    app.config.update(SHOP_ZARINPAL_MERCHANT_ID="")
    assert "form-action 'self';" in client.get("/").headers["Content-Security-Policy"]
    app.config.update(
        SHOP_ZARINPAL_MERCHANT_ID="x" * 36, SHOP_ZARINPAL_API_BASE="", SHOP_ZARINPAL_SANDBOX=True
    )
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "form-action 'self' https://sandbox.zarinpal.com;" in policy


def test_the_reconciler_verifies_at_once_what_the_gateway_lists_as_paid(
    factory, kilim, gateway, caplog
):
    from tests.payments.fake_zarinpal import FakePayment

    order = place_online(factory.user(), kilim)
    authority = begin(order)
    gateway.pay(authority)  # paid a moment ago; the buyer closed the tab
    gateway.payments["A" + "9" * 35] = FakePayment(5_000, "http://elsewhere/cb", {}, state="paid")

    counts = zarinpal.reconcile()

    assert counts["paid"] == 1 and reload(order).status is OrderStatus.PAID
    assert "A" + "9" * 35 in caplog.text  # someone else's payment: logged, never verified
    assert gateway.payments["A" + "9" * 35].state == "paid"
    assert gateway.count("unVerified.json") == 1
    assert_books_agree()
