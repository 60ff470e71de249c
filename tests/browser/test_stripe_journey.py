"""Paying by card with Stripe Checkout, in a real Chromium: a shop selling in dollars, the
buyer chooses Stripe, lands on the (fake, local) Checkout page; Stripe's signed webhook says
it is paid; back on the shop the order shows paid. The success page alone never pays it."""

from __future__ import annotations

import json
import time

import pytest
import stripe
from playwright.sync_api import expect

from tests.browser.site import buy_one_and_pay_with, sign_in
from tests.conftest import STRIPE_TEST_SECRET as SECRET
from tests.conftest import Factory

pytestmark = pytest.mark.browser


def test_a_buyer_pays_by_card_and_the_webhook_marks_the_order_paid(
    app, live_server, browser, artifacts_dir, fake_stripe
):
    with app.test_request_context():
        factory = Factory(app)
        factory.user(email="lena@example.com", name="Lena")
        maker = factory.producer(shop_name="Mahtab workshop")
        scarf = factory.listing(maker, title="Silk scarf", price=4_500, stock=2)
        scarf_id = scarf.id

    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, live_server, "lena@example.com")
    address = {
        "recipient": "Lena Karimi",
        "mobile": "09121234567",
        "province": "tehran",
        "city": "Tehran",
        "street_address": "12 Golestan St",
        "postal_code": "1915634711",
    }
    buy_one_and_pay_with(page, live_server, scarf_id, address, "stripe")

    assert page.url.startswith(f"{fake_stripe.url}/pay/cs_test_"), page.url
    session_id = page.url.rsplit("/", 1)[1]
    page.screenshot(path=str(artifacts_dir / "stripe-checkout.png"), full_page=True)

    # Stripe takes the card and tells the shop, signed
    session = fake_stripe.complete(session_id)
    body = json.dumps(
        {
            "id": "evt_browser_1",
            "object": "event",
            "type": "checkout.session.completed",
            "data": {"object": session},
        }
    )
    header = stripe.WebhookSignature.generate_signature_header(body, SECRET, int(time.time()))
    answer = page.request.post(
        f"{live_server}/payments/stripe/webhook",
        data=body,
        headers={"Stripe-Signature": header, "Content-Type": "application/json"},
    )
    assert answer.status == 200

    with page.expect_navigation():
        page.locator("#pay").click()
    expect(page.locator("main h1")).to_have_text("پرداخت تأیید شد")
    page.locator("main a[href^='/orders/']").click()
    expect(page.locator("main .facts")).to_contain_text("پرداخت‌شده")
    page.screenshot(path=str(artifacts_dir / "stripe-paid.png"), full_page=True)
    context.close()
