"""Paying online with Zarinpal, in a real Chromium on a phone: the buyer chooses it at
checkout, lands on the (fake, local) gateway's page, pays, comes back through our callback —
which asks the gateway, not the address bar — and sees the order paid."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.site import buy_one_and_pay_with, sign_in
from tests.conftest import Factory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_a_buyer_pays_online_at_the_gateway_and_sees_the_order_paid(
    app, live_server, browser, artifacts_dir, gateway
):
    with app.test_request_context():
        factory = Factory(app)
        factory.user(email="sara@example.com", name="سارا")
        maker = factory.producer(shop_name="کارگاه مهتاب")
        shawl = factory.listing(maker, title="شال سوزن‌دوزی", price=1_400_000, stock=2)
        shawl_id = shawl.id

    context = browser.new_context(locale="fa-IR", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, live_server, "sara@example.com")
    address = {
        "recipient": "سارا احمدی",
        "mobile": "۰۹۱۵۱۲۳۴۵۶۷",
        "province": "razavi-khorasan",
        "city": "مشهد",
        "street_address": "بلوار سجاد، پلاک ۸",
        "postal_code": "۹۱۸۵۶۴۳۲۱۰",
    }
    buy_one_and_pay_with(page, live_server, shawl_id, address, "zarinpal")

    # On the gateway's page, for the order's total in rials
    assert page.url.startswith(f"{gateway.url}/pg/StartPay/A"), page.url
    expect(page.locator("[data-amount]")).to_have_text(str(1_400_000 + 800_000))
    page.screenshot(path=str(artifacts_dir / "zarinpal-gateway.png"), full_page=True)
    with page.expect_navigation():
        page.locator("#pay").click()

    # Back on the shop: the order is paid
    page.wait_for_url(f"{live_server}/orders/*")
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("main .facts")).to_contain_text("پرداخت‌شده")
    expect(page.locator("main")).not_to_contain_text("پرداخت آنلاین همین حالا")
    page.screenshot(path=str(artifacts_dir / "zarinpal-paid.png"), full_page=True)
    assert gateway.count("verify.json") == 1
    context.close()
