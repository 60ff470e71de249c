"""The journey of a listing, in a real Chromium on a phone-sized screen, in Persian.

A producer signs in, lists a kilim with a price typed in Persian digits and a photo, sees it
waiting for review; an admin approves it; a visitor finds it in the kilim category, right to
left with Persian digits, opens it, and switches to English.
"""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from tests.conftest import PASSWORD, Factory, make_jpeg

pytestmark = pytest.mark.browser

TITLE = "گلیم دستباف قشقایی"
PRODUCER_EMAIL = "maker@example.com"
ADMIN_EMAIL = "admin@example.com"
PHONE = {"width": 390, "height": 844}


def translated(app, message: str, lang: str = "fa", **variables) -> str:
    """The interface text as the app shows it in ``lang`` (whatever the catalogue holds)."""
    with app.test_request_context(), force_locale(lang):
        return gettext(message, **variables)


def new_phone_context(browser, requests: list[str], problems: list[str]):
    """A phone-sized Persian browser context that records every request and every failure."""
    context = browser.new_context(
        locale="fa-IR", viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)

    def on_response(response):
        # The page names its favicon, so Chromium asks for no /favicon.ico (which would 404).
        if response.status >= 400:
            problems.append(f"HTTP {response.status} {response.url}")

    def on_console(message):
        if message.type == "error":
            problems.append(f"console error: {message.text} ({message.location.get('url')})")

    def on_page(page):
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("console", on_console)

    context.on("request", lambda request: requests.append(request.url))
    context.on("response", on_response)
    context.on("page", on_page)
    return context


def sign_in(page, app, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    form = page.locator("main form[action$='/login']")
    form.get_by_label(translated(app, "E-mail"), exact=True).fill(email)
    form.get_by_label(translated(app, "Password"), exact=True).fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_have_text(translated(app, "You are signed in."))


def sign_out(page, app) -> None:
    menu = page.locator("header details.account-menu summary")
    if menu.is_visible():  # on a phone the account's links are in a menu
        menu.click()
    page.locator("header form[action$='/logout'] button").click()
    expect(page.locator(".flash")).to_have_text(translated(app, "You are signed out."))
    expect(page.locator("header form[action$='/logout']")).to_have_count(0)


def assert_no_sideways_scroll(page) -> None:
    """Nothing pushes the page wider than the phone's screen."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px phone"


def wait_for_image(page, image) -> None:
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "image => image.complete && image.naturalWidth > 0", arg=image.element_handle()
    )


def test_producer_lists_a_kilim_admin_approves_and_visitors_see_it(
    app, live_server, browser, tmp_path, artifacts_dir
):
    base = live_server
    with app.test_request_context():
        factory = Factory(app)
        factory.admin(email=ADMIN_EMAIL)
        factory.producer(
            user=factory.user(email=PRODUCER_EMAIL, name="زهرا"), shop_name="کارگاه گلیم زهرا"
        )
    photo = tmp_path / "kilim.jpg"
    photo.write_bytes(make_jpeg(1200, 900, colour=(150, 40, 35)))

    requests: list[str] = []
    problems: list[str] = []

    # The producer lists a kilim, typing the price in Persian digits.
    context = new_phone_context(browser, requests, problems)
    page = context.new_page()
    sign_in(page, app, base, PRODUCER_EMAIL)
    page.goto(f"{base}/producer/listings/new")
    form = page.locator("main form[action$='/producer/listings/new']")
    form.get_by_label(translated(app, "Title"), exact=True).fill(TITLE)
    form.get_by_label(translated(app, "Category"), exact=True).select_option(label="گلیم")
    form.get_by_label(translated(app, "Price"), exact=True).fill("۲٬۵۰۰٬۰۰۰")
    form.get_by_label(translated(app, "How many are ready to send"), exact=True).fill("۲")
    form.locator("input[name=photos]").set_input_files(photo)
    form.locator("button[type=submit]").click()

    page.wait_for_url(f"{base}/producer/")
    expect(page.locator(".flash-success")).to_have_text(
        translated(app, "Your listing was saved and is waiting for review.")
    )
    row = page.locator("table.list tbody tr", has_text=TITLE)
    expect(row).to_have_count(1)
    expect(row.locator(".badge.status-pending")).to_have_text(translated(app, "Waiting for review"))
    expect(row).to_contain_text("۲٬۵۰۰٬۰۰۰ تومان")
    sign_out(page, app)

    # The admin approves it.
    sign_in(page, app, base, ADMIN_EMAIL)
    page.goto(f"{base}/admin/listings")
    item = page.locator(".queue-item", has_text=TITLE)
    expect(item).to_have_count(1)
    item.locator("form[action$='/approve'] button[type=submit]").click()
    page.wait_for_url(f"{base}/admin/listings")
    expect(page.locator(".flash-success")).to_contain_text(TITLE)
    expect(page.locator(".queue-item", has_text=TITLE)).to_have_count(0)
    sign_out(page, app)
    context.close()

    # A visitor, never signed in, finds it among the kilims: right to left, Persian digits.
    context = new_phone_context(browser, requests, problems)
    page = context.new_page()
    page.goto(f"{base}/categories/kilim")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "fa")
    card = page.locator("li.card", has_text=TITLE)
    expect(card).to_be_visible()
    expect(card.locator(".price")).to_have_text("۲٬۵۰۰٬۰۰۰ تومان")
    image = card.locator("img")
    expect(image).to_have_attribute("src", re.compile(r"^/media/[^/]+-\d+\.webp$"))
    wait_for_image(page, image)
    assert image.evaluate("image => image.currentSrc").startswith(f"{base}/media/")
    assert image.evaluate("image => image.currentSrc").endswith(".webp")
    assert image.evaluate("image => image.naturalWidth") > 0
    page.evaluate("document.fonts.ready.then(() => true)")
    assert_no_sideways_scroll(page)
    page.screenshot(path=artifacts_dir / "category-rtl.png", full_page=True)

    card.locator("a.title").click()
    page.wait_for_url(re.compile(rf"^{re.escape(base)}/products/\d+$"))
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("[data-testid=price]")).to_have_text("۲٬۵۰۰٬۰۰۰ تومان")
    wait_for_image(page, page.locator(".gallery img").first)
    page.evaluate("document.fonts.ready.then(() => true)")
    assert_no_sideways_scroll(page)
    page.screenshot(path=artifacts_dir / "product-rtl.png", full_page=True)

    # One click to English: left to right, Western digits, the toman kept.
    page.goto(f"{base}/categories/kilim")
    page.get_by_role("button", name="English").click()
    expect(html).to_have_attribute("dir", "ltr")
    expect(html).to_have_attribute("lang", "en")
    assert page.url.startswith(f"{base}/categories/kilim")
    card = page.locator("li.card", has_text=TITLE)
    expect(card.locator(".price")).to_have_text("2,500,000 toman")
    wait_for_image(page, card.locator("img"))
    page.screenshot(path=artifacts_dir / "category-ltr.png", full_page=True)
    context.close()

    # Nothing was loaded from anywhere else, and nothing failed on the way.
    assert requests
    foreign = [url for url in requests if not url.startswith((f"{base}/", "data:"))]
    assert foreign == []
    assert problems == []
