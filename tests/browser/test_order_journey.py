"""The journey of an order, in a real Chromium on a phone, in Persian: a visitor fills a cart
from two producers, signs up at checkout without losing it, sends one parcel by post and picks
the other up at the centre, pays on delivery and sees two parcels; the producer sends theirs
and takes the cash; the buyer sees the parcel's timeline move."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.site import fill_address, sign_in
from tests.conftest import PASSWORD, Factory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def phone(browser):
    context = browser.new_context(locale="fa-IR", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    return context, context.new_page()


def test_a_visitor_orders_from_two_producers_and_a_producer_ships(
    app, live_server, browser, artifacts_dir
):
    with app.test_request_context():
        factory = Factory(app)
        centre = factory.centre(name="مرکز رویش طلاب")
        weaver_user = factory.user(email="weaver@example.com", name="زهرا")
        weaver = factory.producer(user=weaver_user, shop_name="کارگاه زهرا", centre=centre)
        tanner = factory.producer(shop_name="چرم نرگس")
        kilim = factory.listing(weaver, title="گلیم قشقایی", price=2_500_000, stock=2)
        bag = factory.listing(tanner, title="کیف چرمی دوشی", price=1_800_000, stock=4)
        kilim_id, bag_id, weaver_id = kilim.id, bag.id, weaver.id

    context, page = phone(browser)
    # A visitor adds one of each from their product pages
    for product_id in (kilim_id, bag_id):
        page.goto(f"{live_server}/products/{product_id}")
        with page.expect_navigation():
            page.locator("form.add-to-cart button[type=submit]").click()
    expect(page.locator("header .cart-link .count")).to_have_text("۲")
    page.screenshot(path=str(artifacts_dir / "order-cart.png"), full_page=True)

    # At checkout they are asked to sign in, register instead, and keep their cart
    page.locator("a[href='/checkout']").click()
    page.wait_for_url("**/login**")
    page.goto(f"{live_server}/register")
    form = page.locator("main form")
    form.locator("[name=display_name]").fill("مریم")
    form.locator("[name=email]").fill("maryam@example.com")
    form.locator("[name=password]").fill(PASSWORD)
    form.locator("[name=confirm]").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("header .cart-link .count")).to_have_text("۲")

    # They fill the address with Persian digits, pick up the kilim at the centre
    page.goto(f"{live_server}/checkout")
    checkout = page.locator("main form.checkout")
    fill_address(
        checkout,
        {
            "recipient": "مریم رضایی",
            "mobile": "۰۹۱۲۱۲۳۴۵۶۷",
            "province": "razavi-khorasan",
            "city": "مشهد",
            "street_address": "بلوار طلاب، کوچه ۱۲",
            "postal_code": "۹۱۷۷۹-۴۸۹۷۴",
        },
    )
    checkout.locator(f"#shipping-{weaver_id}-centre_pickup").check()
    page.screenshot(path=str(artifacts_dir / "order-checkout.png"), full_page=True)
    with page.expect_navigation():
        checkout.locator("button[type=submit]").click()

    # …and see their order in two parcels, both being prepared
    expect(page.locator("main h1")).to_contain_text("سفارش")
    expect(page.locator("main section.cart-parcel")).to_have_count(2)
    expect(page.locator("main")).to_contain_text("تحویل در مرکز")
    order_url = page.url
    page.screenshot(path=str(artifacts_dir / "order-placed.png"), full_page=True)
    context.close()

    # The weaver sees one new parcel, sends it and takes the cash
    context, page = phone(browser)
    sign_in(page, live_server, "weaver@example.com")
    page.goto(f"{live_server}/producer/parcels")
    expect(page.locator("main .order-summary")).to_have_count(1)
    with page.expect_navigation():
        page.locator("main .order-summary a").click()
    ship = page.locator("main form[action$='/ship']")
    ship.locator("[name=carrier]").fill("مرکز رویش")
    with page.expect_navigation():
        ship.locator("button[type=submit]").click()
    deliver = page.locator("main form[action$='/deliver']")
    deliver.locator("[name=cash_received]").check()
    with page.expect_navigation():
        deliver.locator("button[type=submit]").click()
    expect(page.locator("main h1")).to_contain_text("تحویل‌شده")
    page.screenshot(path=str(artifacts_dir / "order-producer.png"), full_page=True)
    context.close()

    # The buyer's order page shows that parcel sent and delivered
    context, page = phone(browser)
    sign_in(page, live_server, "maryam@example.com")
    page.goto(order_url)
    weaver_parcel = page.locator("main section.cart-parcel", has_text="کارگاه زهرا")
    expect(weaver_parcel.locator(".timeline li")).to_have_count(3)
    expect(weaver_parcel).to_contain_text("تحویل‌شده")
    page.screenshot(path=str(artifacts_dir / "order-timeline.png"), full_page=True)
    context.close()
