"""On a 360 px phone, in Persian and English: a short header (signed in or not) whose account
menu works, a producer dashboard of cards with Edit and Delete in reach and a delete that asks
first, and sort menus that apply as soon as a choice is made."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.site import EMAILS, build_site, choose_language, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
#: The header's bar (logo, search, account, language) on a phone; the category row is below it.
MAX_BAR_HEIGHT = 120
MAX_HEADER_HEIGHT = 170


def header_heights(page) -> tuple[float, float]:
    return page.evaluate(
        """() => [document.querySelector('.site-header .bar').getBoundingClientRect().height,
                  document.querySelector('.site-header').getBoundingClientRect().height]"""
    )


def assert_fits_the_screen(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide on a {width}px screen"


def assert_inside_the_screen(locator, width: int) -> None:
    box = locator.bounding_box()
    assert box is not None and locator.is_visible(), locator
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (locator, box)


def test_phone_header_dashboard_cards_and_delete_confirmation(
    app, live_server, browser, artifacts_dir
):
    with app.test_request_context():
        site = build_site(app)
    measured = {}
    for lang in ("fa", "en"):
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto(f"{live_server}/")
        choose_language(page, lang)

        # Signed out: logo and search on one row, sign-in and language on the next.
        page.evaluate("document.fonts.ready.then(() => true)")
        measured[(lang, "signed out")] = bar, header = header_heights(page)
        assert bar <= MAX_BAR_HEIGHT and header <= MAX_HEADER_HEIGHT, (lang, bar, header)
        for item in ("#search-q", "header a[href^='/login']", "header .lang-switch button"):
            assert_inside_the_screen(page.locator(item).first, PHONE["width"])
        assert_fits_the_screen(page, PHONE["width"])

        # Signed in: the account's links fold into a menu that opens with a tap.
        sign_in(page, live_server, EMAILS["producer"])
        choose_language(page, lang)
        page.evaluate("document.fonts.ready.then(() => true)")
        measured[(lang, "signed in")] = bar, header = header_heights(page)
        assert bar <= MAX_BAR_HEIGHT and header <= MAX_HEADER_HEIGHT, (lang, bar, header)
        assert_fits_the_screen(page, PHONE["width"])
        menu = page.locator("header details.account-menu")
        my_shop = menu.locator("a[href='/producer/']")
        expect(my_shop).to_be_hidden()
        menu.locator("summary").click()
        expect(my_shop).to_be_visible()
        assert_inside_the_screen(my_shop, PHONE["width"])
        assert_inside_the_screen(menu.locator("form[action$='/logout'] button"), PHONE["width"])
        page.screenshot(path=artifacts_dir / f"phone-menu-{lang}.png")
        my_shop.click()
        page.wait_for_url(f"{live_server}/producer/")

        # The dashboard: a card per listing, nothing wider than the phone, actions in reach.
        assert_fits_the_screen(page, PHONE["width"])
        rows = page.locator("table.list tbody tr")
        expect(rows).to_have_count(6)
        for index in range(6):
            row = rows.nth(index)
            for action in ("a[href$='/edit'].button", "a[href$='/delete']"):
                assert_inside_the_screen(row.locator(action), PHONE["width"])
        page.screenshot(path=artifacts_dir / f"phone-dashboard-{lang}.png", full_page=True)

        # Delete asks first; Cancel leaves the listing as it was.
        paused = page.locator(f"tr[data-listing='{site.ids['paused']}']")
        paused.locator("a[href$='/delete']").click()
        page.wait_for_url(f"{live_server}/producer/listings/{site.ids['paused']}/delete")
        assert_fits_the_screen(page, PHONE["width"])
        expect(page.locator(".confirm h2")).to_have_text("گلیم کوچک")
        confirm = page.locator(".confirm form button[type=submit]")
        assert_inside_the_screen(confirm, PHONE["width"])
        page.locator(".confirm a[href='/producer/']").click()
        page.wait_for_url(f"{live_server}/producer/")
        expect(page.locator(f"tr[data-listing='{site.ids['paused']}']")).to_have_count(1)
        context.close()

    # On a desktop screen the account's links stand in the bar; no menu to open.
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    sign_in(page, live_server, EMAILS["producer"])
    expect(page.locator("header details.account-menu summary")).to_be_hidden()
    expect(page.locator("header a[href='/producer/']")).to_be_visible()
    # The links of the (closed, unfolded by the style sheet) menu are reached with Tab.
    page.locator("#search-q").focus()
    reached = []
    for _ in range(4):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.getAttribute('href')"))
    assert "/producer/" in reached, reached
    bar, _ = header_heights(page)
    assert bar <= 80, bar
    context.close()
    print("header heights (bar, whole header) at 360 px:", measured)


def test_a_sort_menu_applies_the_choice_at_once(app, live_server, browser):
    with app.test_request_context():
        build_site(app)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server}/categories/carpets-rugs")
    form = page.locator("main form.toolbar")
    select = form.locator("select[data-autosubmit]")
    button = form.locator("button[type=submit]")
    expect(button).to_be_hidden()  # script sends the form itself

    select.select_option("price_asc")
    page.wait_for_url(re.compile(r"/categories/carpets-rugs\?sort=price_asc$"))
    expect(page.locator("main form.toolbar select")).to_have_value("price_asc")

    # With the keys, moving through the menu does not reload on every step: the button comes
    # back, and Enter applies the choice.
    select = page.locator("main form.toolbar select")
    select.focus()
    page.keyboard.press("ArrowDown")
    expect(page.locator("main form.toolbar button[type=submit]")).to_be_visible()
    assert page.url.endswith("?sort=price_asc")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?sort=price_desc$"))
    context.close()


def test_the_cart_checkout_order_and_parcel_pages_fit_a_phone(
    app, live_server, browser, artifacts_dir
):
    with app.test_request_context():
        site = build_site(app)
    for lang in ("fa", "en"):
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        context.set_default_timeout(10_000)
        page = context.new_page()
        sign_in(page, live_server, EMAILS["buyer"])
        choose_language(page, lang)
        for path in (
            "/cart",
            "/checkout",
            "/orders",
            f"/orders/{site.slugs['order']}",
            f"/orders/{site.slugs['returned_order']}",
        ):
            page.goto(live_server + path)
            page.evaluate("document.fonts.ready.then(() => true)")
            assert_fits_the_screen(page, PHONE["width"])
            name = path.strip("/").replace("/", "-") or "home"
            page.screenshot(path=str(artifacts_dir / f"phone-{lang}-{name}.png"), full_page=True)
        assert_inside_the_screen(page.locator("header .cart-link"), PHONE["width"])
        page.goto(live_server + "/checkout")
        assert_inside_the_screen(
            page.locator("main form.checkout button[type=submit]"), PHONE["width"]
        )
        context.close()

        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        page = context.new_page()
        sign_in(page, live_server, EMAILS["producer"])
        choose_language(page, lang)
        parcel = site.ids["parcel"]
        shawl = site.ids["shawl"]
        for path in (
            "/producer/parcels",
            f"/producer/parcels/{parcel}",
            f"/producer/parcels/{site.ids['returned_parcel']}",
            f"/producer/listings/{shawl}/variants",
            f"/products/{shawl}",
        ):
            page.goto(live_server + path)
            assert_fits_the_screen(page, PHONE["width"])
            name = path.strip("/").replace("/", "-")
            page.screenshot(path=str(artifacts_dir / f"phone-{lang}-{name}.png"), full_page=True)
        context.close()
