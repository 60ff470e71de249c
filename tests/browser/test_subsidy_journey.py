"""A cooperative's manager applies for a branding subsidy with an invoice, in a real Chromium;
an admin approves it; the manager sees what remains of this year's cap fall by the grant, and
downloads the sales report of the month as an XLSX whose totals are the page's. Screenshots of
the dashboards, on a phone and on a desktop, are saved for people to look at."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from shop.database import transaction
from shop.money import to_ascii_digits
from tests.browser.site import sign_in
from tests.conftest import Factory, reload
from tests.payouts.conftest import sell_cash
from tests.subsidies.conftest import minimal_pdf

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


def number(text: str) -> float:
    """A figure as the page shows it (Persian digits, ٬ grouping, ٫ decimals, a unit)."""
    cleaned = to_ascii_digits(text).replace("٬", "").replace(",", "").replace("٫", ".")
    found = re.search(r"−?-?\d+(\.\d+)?", cleaned)
    assert found, text
    return float(found.group().replace("−", "-"))


@pytest.fixture
def programme(app):
    with app.test_request_context():
        factory = Factory(app)
        manager = factory.user(email="manager@example.com", name="مدیر تعاونی")
        factory.admin()
        cooperative = factory.cooperative(name="تعاونی بانوان نقش", manager=manager)
        with transaction():
            reload(cooperative).commission_bp = 400
        weaver = factory.producer(shop_name="کارگاه گلیم مهتاب", cooperative=cooperative)
        tanner = factory.producer(shop_name="چرم‌دوزی سپیده", cooperative=cooperative)
        for producer, price in ((weaver, 2_400_000), (weaver, 900_000), (tanner, 1_750_000)):
            sell_cash(factory, producer, price=price, days_ago=0)
        return {"cooperative_id": cooperative.id}


def test_a_manager_applies_an_admin_approves_and_the_cap_and_the_report_agree(
    app, live_server, browser, artifacts_dir, programme
):
    cooperative_id = programme["cooperative_id"]
    subsidies_url = f"{live_server}/cooperative/{cooperative_id}/subsidies"
    manager_context = browser.new_context(locale="fa-IR", viewport=DESKTOP)
    manager_context.set_default_timeout(10_000)
    manager = manager_context.new_page()
    sign_in(manager, live_server, "manager@example.com")

    # The manager's dashboard, then the subsidies page: this year's cap is untouched.
    manager.goto(f"{live_server}/cooperative/{cooperative_id}/")
    manager.screenshot(
        path=str(artifacts_dir / "cooperative-dashboard-desktop.png"), full_page=True
    )
    manager.goto(subsidies_url)
    remaining_before = int(manager.locator("[data-remaining]").get_attribute("data-remaining"))
    assert remaining_before == 100_000_000

    # Apply: a logo that cost 12 million toman, with its invoice as a PDF.
    manager.locator(f"a[href$='/cooperative/{cooperative_id}/subsidies/new']").click()
    manager.locator("#work").select_option("logo")
    manager.locator("#supplier").fill("استودیو نقش‌نگار")
    manager.locator("#cost").fill("۱۲٬۰۰۰٬۰۰۰")
    manager.locator("#description").fill("طراحی نشان و راهنمای رنگ تعاونی")
    manager.locator("#invoices").set_input_files(
        files=[{"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": minimal_pdf()}]
    )
    with manager.expect_navigation():
        manager.locator("main form[enctype] button[type=submit]").click()
    application_id = int(re.search(r"/subsidies/(\d+)$", manager.url).group(1))
    expect(manager.locator("main")).to_contain_text("invoice.pdf")
    with manager.expect_navigation():
        manager.locator("main form[action$='/submit'] button[type=submit]").click()
    expect(manager.locator(".flash-success")).to_be_visible()
    # 60% of 12,000,000 toman is 7,200,000 toman, within the cap: the page says so.
    expect(manager.locator("main")).to_contain_text("۷٬۲۰۰٬۰۰۰")
    manager.screenshot(path=str(artifacts_dir / "subsidy-submitted-desktop.png"), full_page=True)

    # An admin opens it from the queue and approves what the rule allows.
    admin_context = browser.new_context(locale="fa-IR", viewport=DESKTOP)
    admin_context.set_default_timeout(10_000)
    admin = admin_context.new_page()
    sign_in(admin, live_server, "admin@example.com")
    admin.goto(f"{live_server}/admin/subsidies/")
    admin.locator(f"main a[href$='/admin/subsidies/{application_id}']").first.click()
    assert number(admin.locator("#amount").input_value()) == 7_200_000
    admin.screenshot(path=str(artifacts_dir / "subsidy-review-desktop.png"), full_page=True)
    with admin.expect_navigation():
        admin.locator("main form[action$='/approve'] button[type=submit]").click()
    expect(admin.locator(".flash-success")).to_be_visible()
    # The programme's figures now count the grant.
    admin.goto(f"{live_server}/programme/impact?period=this_year")
    expect(admin.locator("main")).to_contain_text("۷٬۲۰۰٬۰۰۰")
    admin.screenshot(path=str(artifacts_dir / "impact-dashboard-desktop.png"), full_page=True)
    admin.set_viewport_size(PHONE)
    admin.goto(f"{live_server}/programme/impact?period=this_year")
    assert admin.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    admin.screenshot(path=str(artifacts_dir / "impact-dashboard-phone.png"), full_page=True)
    admin_context.close()

    # The manager sees what remains of the cap fall by the grant (72,000,000 rials).
    manager.goto(subsidies_url)
    remaining_after = int(manager.locator("[data-remaining]").get_attribute("data-remaining"))
    assert remaining_before - remaining_after == 72_000_000
    expect(manager.locator(f"tr[data-application='{application_id}']")).to_contain_text("۷٬۲۰۰٬۰۰۰")

    # This month's report, and its workbook: the same totals.
    manager.goto(f"{live_server}/cooperative/{cooperative_id}/reports?period=this_month")
    totals = [cell.inner_text() for cell in manager.locator("#by-month tfoot td").all()]
    assert number(totals[0]) == 505_000  # 5,050,000 rials of sales, in toman
    with manager.expect_download() as download:
        manager.locator("a[href*='/reports.xlsx']").click()
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = workbook.worksheets[0]
    assert sheet.sheet_view.rightToLeft
    rows = list(sheet.iter_rows(values_only=True))
    assert [number(str(value)) for value in rows[-1][1:]] == [number(t) for t in totals]
    manager.screenshot(path=str(artifacts_dir / "cooperative-report-desktop.png"), full_page=True)

    # The same dashboards on a phone.
    phone_context = browser.new_context(
        locale="fa-IR", viewport=PHONE, is_mobile=True, has_touch=True
    )
    phone_context.set_default_timeout(10_000)
    phone = phone_context.new_page()
    sign_in(phone, live_server, "manager@example.com")
    for path, name in (
        (f"/cooperative/{cooperative_id}/", "cooperative-dashboard-phone"),
        (f"/cooperative/{cooperative_id}/reports?period=this_month", "cooperative-report-phone"),
        (f"/cooperative/{cooperative_id}/subsidies", "subsidies-phone"),
    ):
        phone.goto(f"{live_server}{path}")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
        phone.screenshot(path=str(artifacts_dir / f"{name}.png"), full_page=True)
    phone_context.close()
    manager_context.close()
