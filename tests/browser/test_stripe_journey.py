"""Paying by card with Stripe Checkout, in a real Chromium: a shop selling in dollars, the
buyer chooses Stripe, lands on the (fake, local) Checkout page; Stripe's signed webhook says
it is paid; back on the shop the order shows paid. The success page alone never pays it."""

from __future__ import annotations

import json
import time

import pytest
import stripe
from playwright.sync_api import expect

from tests.browser.site import sign_in
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
    page.goto(f"{live_server}/products/{scarf_id}")
    with page.expect_navigation():
        page.locator("form.add-to-cart button[type=submit]").click()
    page.goto(f"{live_server}/checkout")
    checkout = page.locator("main form.checkout")
    checkout.locator("[name=recipient]").fill("Lena Karimi")
    checkout.locator("[name=mobile]").fill("09121234567")
    checkout.locator("[name=province]").select_option("tehran")
    checkout.locator("[name=city]").fill("Tehran")
    checkout.locator("[name=street_address]").fill("12 Golestan St")
    checkout.locator("[name=postal_code]").fill("1915634711")
    checkout.locator("input[name=payment_method][value=stripe]").check()
    with page.expect_navigation():
        checkout.locator("button[type=submit]").click()

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
