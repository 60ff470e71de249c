"""The product page in Chromium on a Persian phone: the gallery changes photo in place (mouse
and keyboard) and, without script, by following the thumbnail's link; a Latin measurement and
an English description keep their own direction."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.site import build_site

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}

#: Where (in CSS pixels from the left) two characters of an element's first text are drawn.
CHARACTER_POSITIONS = """(element, [first, second]) => {
  const text = element.firstChild;
  const at = (index) => {
    const range = document.createRange();
    range.setStart(text, index);
    range.setEnd(text, index + 1);
    return range.getBoundingClientRect().left;
  };
  return [at(text.textContent.indexOf(first)), at(text.textContent.lastIndexOf(second))];
}"""


def wait_for_image(page, image) -> None:
    page.wait_for_function(
        "image => image.complete && image.naturalWidth > 0", arg=image.element_handle()
    )


def test_the_gallery_switches_photos_in_place_and_seller_text_keeps_its_direction(
    app, live_server, browser, artifacts_dir
):
    with app.test_request_context():
        site = build_site(app)
    url = f"{live_server}/products/{site.ids['rug']}"
    context = browser.new_context(locale="fa-IR", viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)

    main = page.locator(".gallery-main")
    thumbs = page.locator(".thumbs a")
    expect(thumbs).to_have_count(3)
    sources = [thumbs.nth(i).get_attribute("data-src") for i in range(3)]
    expect(main).to_have_attribute("src", sources[0])
    page.evaluate("window.stillHere = true")

    # A tap on the second thumbnail: the large photo changes, the page stays.
    thumbs.nth(1).click()
    expect(main).to_have_attribute("src", sources[1])
    wait_for_image(page, main)
    # The picture shown (from the srcset) is the second photo's too.
    key = re.fullmatch(r"/media/([0-9a-f]+)-\d+\.webp", sources[1]).group(1)
    assert f"/media/{key}-" in main.evaluate("image => image.currentSrc")
    assert page.evaluate("window.stillHere") is True
    assert page.url == f"{url}?photo=2"  # the address follows, so it can be shared
    expect(thumbs.nth(1)).to_have_attribute("aria-current", "true")
    expect(thumbs.nth(0)).not_to_have_attribute("aria-current", "true")
    alt = thumbs.nth(1).locator("img").get_attribute("alt")
    expect(main).to_have_attribute("alt", alt)

    # With the keyboard: Tab to the third thumbnail, Enter.
    thumbs.nth(1).focus()
    page.keyboard.press("Tab")
    assert thumbs.nth(2).evaluate("link => link === document.activeElement")
    page.keyboard.press("Enter")
    expect(main).to_have_attribute("src", sources[2])
    expect(thumbs.nth(2)).to_have_attribute("aria-current", "true")
    assert page.evaluate("window.stillHere") is True
    assert thumbs.nth(2).evaluate("link => link === document.activeElement")

    # "80 × 250 cm" reads left to right in the Persian page: the number before the unit.
    measure = page.locator(".measure")
    expect(measure).to_have_text("۸۰ × ۲۵۰ cm")
    number, unit = measure.evaluate(CHARACTER_POSITIONS, ["۸", "c"])
    assert number < unit, (number, unit)
    # The English description ends with its full stop on the right of its last word.
    paragraph = page.locator(".description .user-text p")
    assert paragraph.evaluate("p => getComputedStyle(p).direction") == "ltr"
    letter, stop = paragraph.evaluate(CHARACTER_POSITIONS, ["k", "."])
    assert stop > letter, (letter, stop)
    page.screenshot(path=artifacts_dir / "product-gallery-rtl.png", full_page=True)
    assert errors == []
    context.close()

    # Without script each thumbnail opens the page with its photo large, still in the layout.
    context = browser.new_context(locale="fa-IR", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(url)
    page.locator(".thumbs a").nth(2).click()
    page.wait_for_url(f"{url}?photo=3")
    expect(page.locator(".gallery-main")).to_have_attribute("src", sources[2])
    expect(page.locator(".thumbs a").nth(2)).to_have_attribute("aria-current", "true")
    expect(page.locator("h1")).to_have_text("تابلوفرش گل و مرغ")
    # The sort menu keeps its button when there is no script to send it.
    page.goto(f"{live_server}/categories/carpets-rugs")
    expect(page.locator("form.toolbar button[type=submit]")).to_be_visible()
    context.close()
