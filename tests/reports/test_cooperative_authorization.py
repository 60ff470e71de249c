"""Who may open a cooperative's reports, files and statements: its managers and the shop's
admins. Anyone else signed in is told the page does not exist, with no name or figure of
that cooperative in the answer; anyone signed out is sent to sign in. A period that is not one
is refused with its reason (400), and computes nothing."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from shop.accounts.models import Role
from shop.reports.periods import BadDate, EndsBeforeStart, InvalidPeriod, TooLong
from tests.reports.test_cooperative_report import build_shop

PATHS = [
    "/cooperative/{id}/reports",
    "/cooperative/{id}/reports?period=range&from=1404/07/01&to=1404/09/30",
    "/cooperative/{id}/reports.csv?period=range&from=1404/07/01&to=1404/09/30",
    "/cooperative/{id}/reports.xlsx?period=season&year=1404&season=3",
    "/cooperative/{id}/statement",
    "/cooperative/{id}/statement?month=1404-07",
    "/cooperative/{id}/statement?period=range&from=1404/07/01&to=1404/09/30",
]
#: What the cooperative's pages show that no one else may see: its name, its members' names
#: and its sales in Mehr 1404 (550,000 toman, in either language's digits).
SECRETS = ["تعاونی بانوان نقش", "کارگاه گلیم مریم", "چرم زهرا", "۵۵۰٬۰۰۰", "550,000", "550000"]


@pytest.fixture
def shop(app, factory):
    """The cooperative, its members' sales and its manager (see ``build_shop``)."""
    return build_shop(app, factory)


@pytest.fixture
def people(shop, factory):
    """Everyone who might ask: a buyer, a member producer's user, the other cooperative's
    manager, a programme officer, the cooperative's manager and an admin."""
    return {
        "buyer": factory.user(),
        "member": shop["weaver"].user,
        "other_manager": shop["other_manager"],
        "programme": factory.user(roles=(Role.PROGRAMME,)),
        "manager": shop["manager"],
        "admin": factory.admin(),
    }


def urls(cooperative_id: int) -> list[str]:
    return [path.format(id=cooperative_id) for path in PATHS]


def test_signed_out_visitors_are_sent_to_sign_in(client, shop):
    for url in urls(shop["cooperative"].id):
        response = client.get(url)

        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/login?next="), url
        assert not any(secret in response.text for secret in SECRETS), url


@pytest.mark.parametrize("who", ["buyer", "member", "other_manager", "programme"])
def test_no_one_but_its_managers_and_admins_finds_the_cooperatives_reports(
    client, login_as, shop, people, who
):
    login_as(people[who])
    for url in urls(shop["cooperative"].id):
        response = client.get(url)

        assert response.status_code == 404, url
        assert response.mimetype == "text/html", url
        assert not any(secret in response.text for secret in SECRETS), url


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_its_managers_and_admins_open_every_report(client, login_as, shop, people, who):
    login_as(people[who])
    for url in urls(shop["cooperative"].id):
        response = client.get(url)

        assert response.status_code == 200, url
        if response.mimetype == "text/html":
            assert "تعاونی بانوان نقش" in response.text, url


def test_a_cooperative_that_does_not_exist_is_not_found_even_by_an_admin(client, login_as, people):
    login_as(people["admin"])
    for url in urls(999_999):
        assert client.get(url).status_code == 404, url


def test_a_manager_does_not_see_another_cooperatives_report_through_their_own(
    client, login_as, shop
):
    login_as(shop["other_manager"])

    own = client.get(
        f"/cooperative/{shop['other'].id}/reports?period=range&from=1404/07/01&to=1404/09/30"
    )

    assert own.status_code == 200
    assert "سفال فاطمه" in own.text
    assert not any(secret in own.text for secret in SECRETS)


def persian(message) -> str:
    with force_locale("fa"):
        return str(message)


BAD_PERIODS = [
    ("period=range&from=1404/09/01&to=1404/07/01", EndsBeforeStart.message),
    ("period=range&from=1400/01/01&to=1406/01/01", TooLong.message),
    ("period=abc", InvalidPeriod.message),
    ("period=range&from=abc&to=1404/07/01", BadDate.message),
    ("period=month&month=1404-13", InvalidPeriod.message),
    ("period=month&month=abc", InvalidPeriod.message),
    ("period=range&from=1404/07/31&to=1404/08/01", BadDate.message),  # Mehr has 30 days
]


PAGES = ["reports", "reports.csv", "reports.xlsx", "statement"]


@pytest.mark.parametrize(("query", "message"), BAD_PERIODS)
def test_a_period_that_is_not_one_is_refused_with_its_reason(
    client, login_as, shop, query, message
):
    login_as(shop["manager"])
    for path in PAGES:
        response = client.get(f"/cooperative/{shop['cooperative'].id}/{path}?{query}")

        assert response.status_code == 400, path
        assert response.mimetype == "text/html", path
        assert persian(message) in response.text, path
        assert 'class="field-error"' in response.text, path
        # nothing was computed: no member's name, no figure
        assert "کارگاه گلیم مریم" not in response.text, path
        assert "۵۵۰٬۰۰۰" not in response.text, path


@pytest.mark.parametrize(
    "query",
    [
        "period=month&month=۱۴۰۴-۰۷",
        "period=range&from=۱۴۰۴/۰۷/۰۱&to=۱۴۰۴/۰۷/۳۰",
        "period=range&from=1404-07-01&to=1404-07-30",
        "month=۱۴۰۴/۰۷",
    ],
)
def test_persian_digits_and_dashes_make_a_good_period(client, login_as, shop, query):
    login_as(shop["manager"])
    for path in PAGES:
        asked = query
        if path != "statement" and query.startswith("month="):  # a statement reads it alone
            asked = "period=month&" + query

        response = client.get(f"/cooperative/{shop['cooperative'].id}/{path}?{asked}")

        assert response.status_code == 200, path
        if response.mimetype == "text/html":
            assert "۵۵۰٬۰۰۰" in response.text, path  # Mehr 1404's sales, in toman
