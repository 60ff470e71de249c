"""axe-core finds no serious or critical problem on any page, for any role, in either language.

Every page of ``tests/browser/site.py``'s list is opened in Chromium and checked with axe-core:
public pages, the pages of a buyer, a producer, a cooperative manager and an admin, forms sent
back with errors, and the 404 and 400 pages. Persian is checked on a 360 px phone (with the
header's menu opened, so what it holds is checked too), English on a desktop screen.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.site import EMAILS, FormCheck, build_site, choose_language, pages, sign_in

pytestmark = pytest.mark.browser

#: Where each language is checked: Persian on a phone, English on a desktop.
SCREENS = {"fa": {"width": 360, "height": 740}, "en": {"width": 1280, "height": 900}}
BAD = ("serious", "critical")
#: axe's default rules, and one it keeps off as experimental: a button's visible words must be
#: part of its accessible name (speech users say what they see).
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "rules": {"label-content-name-mismatch": {"enabled": True}},
}


def open_page(page, base: str, entry: str | FormCheck) -> str:
    """Open ``entry`` (for a ``FormCheck``, send its form back with errors); returns a label."""
    if isinstance(entry, str):
        response = page.goto(base + entry)
        assert response.status < 500, f"{entry}: HTTP {response.status}"
        return entry
    page.goto(base + entry.url)
    form = page.locator(entry.form).first
    for name in entry.clear:
        form.locator(f"[name={name}]").fill("")
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").last.click()
    assert navigation.value.status == 400, f"{entry.url}: HTTP {navigation.value.status}"
    assert page.locator(".field-error").count() > 0, f"{entry.url}: the form was accepted"
    return f"{entry.url} (sent back with errors)"


def findings(page, axe: Axe) -> list[str]:
    menu = page.locator("header details.account-menu")
    if menu.count() and menu.locator("summary").is_visible():
        menu.locator("summary").click()
    page.evaluate("document.fonts.ready.then(() => true)")
    results = axe.run(page, options=AXE_OPTIONS)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in BAD:
            targets = "; ".join(
                " ".join(map(str, node["target"])) for node in violation["nodes"][:4]
            )
            found.append(f"{violation['impact']} {violation['id']}: {targets}")
    return found


def test_every_page_has_no_serious_axe_finding(app, live_server, browser, artifacts_dir):
    with app.test_request_context():
        site = build_site(app)
    axe = Axe()
    problems: list[str] = []
    checked = 0

    def record_error(error) -> None:
        problems.append(f"page error: {error}")

    for role, entries in pages(site).items():
        for lang, screen in SCREENS.items():
            context = browser.new_context(viewport=screen, locale="fa-IR")
            context.set_default_timeout(15_000)
            page = context.new_page()
            page.on("pageerror", record_error)
            page.goto(live_server + "/")
            choose_language(page, lang)
            if role != "visitor":
                # The page after signing in shows a message: it is checked too.
                sign_in(page, live_server, EMAILS[role])
                problems += [f"[{role} {lang}] signed in: {f}" for f in findings(page, axe)]
                choose_language(page, lang)  # an account's saved language wins over the cookie
            for entry in entries:
                label = open_page(page, live_server, entry)
                assert page.locator("html").get_attribute("lang") == lang, label
                problems += [f"[{role} {lang}] {label}: {f}" for f in findings(page, axe)]
                checked += 1
            context.close()
    assert checked >= 2 * 40
    assert not problems, "\n".join(problems)
