"""A visitor on a phone finds a listing by typing, with suggestions chosen by keyboard."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_visitor_types_arabic_letters_picks_a_suggestion_and_narrows_by_facet(
    app, live_server, browser, artifacts_dir
):
    # Given two listings from producers in two cities
    from tests.conftest import Factory

    with app.test_request_context():
        factory = Factory(app)
        mashhad = factory.producer(shop_name="گلیم‌بافی نرگس")
        factory.listing(mashhad, title="گلیم دستباف قشقایی", price=25_000_000)
        tehran = factory.producer(shop_name="چرم شیرین")
        tehran.city = "تهران"
        from shop.extensions import db

        db.session.commit()
        factory.listing(tehran, title="کیف چرمی زنانه", category="leather", price=70_000_000)
        factory.listing(tehran, title="کیف پول چرمی", category="leather", price=3_000_000)

    context = browser.new_context(locale="fa-IR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        # When she types «كي» with an Arabic kaf and yeh in the header's search box
        page.goto(f"{live_server}/")
        box = page.locator("#search-q")
        box.click()
        box.press_sequentially("كي", delay=60)
        options = page.locator("#search-suggestions li")
        options.first.wait_for(state="visible", timeout=5000)
        assert "کیف" in options.all_inner_texts()
        assert box.get_attribute("aria-expanded") == "true"

        # And picks the suggestion with the keyboard
        box.press("ArrowDown")
        assert options.first.get_attribute("aria-selected") == "true"
        box.press("Enter")
        page.wait_for_url("**/search?q=*")

        # Then both bags are found, with the word marked in their snippets
        cards = page.locator(".cards .card")
        assert cards.count() == 2
        assert page.locator("mark").count() >= 1
        assert page.locator("html").get_attribute("dir") == "rtl"

        # When she opens the filters (folded on a phone) and narrows by the cheaper price band
        page.locator("#search-filters > summary").click()
        page.locator(".facet a", has_text="کمتر از").first.click()
        page.wait_for_load_state()
        assert page.locator(".cards .card").count() == 1
        assert "کیف پول چرمی" in page.locator(".cards .card .title").inner_text()
        page.screenshot(path=str(artifacts_dir / "search-rtl.png"), full_page=True)

        # And a search that finds nothing shows a clear empty state
        page.goto(f"{live_server}/search?q=zzzzqqq")
        assert page.locator(".empty").is_visible()
    finally:
        context.close()
