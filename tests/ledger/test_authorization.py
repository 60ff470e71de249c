"""Who may see and change which money pages: a producer their own earnings only, a cooperative's
managers that cooperative's only, admins the ledger, commissions, payouts and audit log. Every
refusal is a 4xx (or a sign-in) and changes nothing."""

from __future__ import annotations

import pytest

from shop.audit.models import AuditEntry
from shop.database import transaction
from tests.conftest import count, reload

GOOD = "IR820540102680020817909002"

ADMIN_PAGES = ["/admin/ledger", "/admin/commissions", "/admin/payouts/", "/admin/audit"]


@pytest.fixture
def people(factory):
    """Two cooperatives with a manager each, a producer in each, a buyer and an admin."""
    ours_manager, theirs_manager = factory.user(), factory.user()
    ours = factory.cooperative(name="تعاونی ما", manager=ours_manager)
    theirs = factory.cooperative(name="تعاونی آنها", manager=theirs_manager)
    return {
        "ours": ours,
        "theirs": theirs,
        "ours_manager": reload(ours_manager),
        "theirs_manager": reload(theirs_manager),
        "our_producer": factory.producer(cooperative=ours),
        "their_producer": factory.producer(cooperative=theirs),
        "buyer": factory.user(),
        "admin": factory.admin(),
    }


def status_for(client, login_as, user, method, url, data=None) -> int:
    if user is not None:
        login_as(getattr(user, "user", user))  # a producer signs in as their user
    response = client.open(url, method=method, data=data or {})
    return response.status_code


@pytest.mark.parametrize("url", ADMIN_PAGES)
@pytest.mark.parametrize(
    "who", [None, "buyer", "our_producer", "ours_manager"], ids=lambda w: w or "anonymous"
)
def test_admin_money_pages_are_for_admins_only(client, login_as, people, url, who):
    status = status_for(client, login_as, people[who] if who else None, "GET", url)
    assert status in ((302, 303) if who is None else (403,))


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_an_admin_opens_every_admin_money_page(client, login_as, people, url):
    assert status_for(client, login_as, people["admin"], "GET", url) == 200


@pytest.mark.parametrize(
    ("who", "method", "path"),
    [
        ("buyer", "POST", "/admin/payouts/"),
        ("our_producer", "POST", "/admin/commissions"),
        ("ours_manager", "POST", "/admin/commissions/{ours}"),
        ("ours_manager", "POST", "/admin/payouts/1/confirm"),
        ("ours_manager", "POST", "/admin/payouts/1/cancel"),
    ],
)
def test_money_actions_by_anyone_but_an_admin_are_refused(
    client, login_as, people, who, method, path
):
    url = path.format(ours=people["ours"].id)
    data = {"low": "0", "high": "5000", f"c{people['ours'].id}-commission_bp": "4000"}
    assert status_for(client, login_as, people[who], method, url, data) == 403
    assert reload(people["ours"]).commission_bp == 300 and count(AuditEntry) == 0


@pytest.mark.parametrize(
    ("who", "cooperative", "expected"),
    [
        ("ours_manager", "ours", 200),
        ("ours_manager", "theirs", 404),
        ("theirs_manager", "ours", 404),
        ("our_producer", "ours", 404),
        ("buyer", "ours", 404),
        ("admin", "ours", 200),
    ],
)
def test_a_cooperatives_earnings_are_for_its_own_managers_and_admins(
    client, login_as, people, who, cooperative, expected
):
    url = f"/cooperative/{people[cooperative].id}/earnings"
    assert status_for(client, login_as, people[who], "GET", url) == expected


def test_a_manager_cannot_set_another_cooperatives_sheba(client, login_as, people):
    login_as(people["ours_manager"])
    theirs = people["theirs"]

    response = client.post(f"/cooperative/{theirs.id}/earnings", data={"sheba": GOOD})

    assert response.status_code == 404
    assert reload(theirs).sheba == "" and count(AuditEntry) == 0


def test_a_manager_sets_their_own_cooperatives_sheba(client, login_as, people):
    login_as(people["ours_manager"])
    ours = people["ours"]

    response = client.post(f"/cooperative/{ours.id}/earnings", data={"sheba": GOOD})

    assert response.status_code == 303
    assert reload(ours).sheba == GOOD
    assert reload(people["theirs"]).sheba == ""
    assert count(AuditEntry, AuditEntry.subject == f"cooperative:{ours.id}") == 1


def test_a_producer_only_ever_sees_their_own_earnings(client, login_as, people, factory):
    from tests.ledger.test_views import sell

    sell(factory, people["their_producer"], "Their kilim")
    login_as(people["our_producer"].user)
    other = people["their_producer"].id

    for url in (
        "/producer/earnings",
        f"/producer/earnings?producer_id={other}",
        f"/producer/earnings?producer={other}",
    ):
        page = client.get(url)
        assert page.status_code == 200 and "Their kilim" not in page.text
    with transaction():
        assert reload(people["their_producer"]).sheba == ""
