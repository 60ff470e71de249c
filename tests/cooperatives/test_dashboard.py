"""A cooperative's dashboard: its members, requests to join and commission, for its managers
(and admins) only; the manager's page leads to it."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from shop.database import transaction
from shop.producers.services import request_membership
from tests.conftest import reload
from tests.payouts.conftest import sell_online
from tests.web.markup import parse


@pytest.fixture
def english(client):
    client.post("/language/en", data={"next": "/"})
    return client


@pytest.fixture
def people(factory):
    """Two cooperatives with a manager and a member each; a producer asking to join ours; a
    buyer and an admin."""
    ours_manager, theirs_manager = factory.user(), factory.user()
    ours = factory.cooperative(name="تعاونی ما", city="مشهد", manager=ours_manager)
    theirs = factory.cooperative(name="تعاونی آنها", city="یزد", manager=theirs_manager)
    centre = factory.centre(name="مرکز رویش طلاب")
    weaver = factory.producer(shop_name="کارگاه گلیم مریم", centre=centre, cooperative=ours)
    asking = factory.producer(shop_name="چرم‌دوزی نرگس")
    with transaction():
        request = request_membership(asking, ours.id)
    return {
        "ours": reload(ours),
        "theirs": reload(theirs),
        "ours_manager": reload(ours_manager),
        "theirs_manager": reload(theirs_manager),
        "weaver": reload(weaver),
        "their_member": factory.producer(shop_name="سفال یزد", cooperative=theirs),
        "asking": reload(asking),
        "request": reload(request),
        "buyer": factory.user(),
        "admin": factory.admin(),
    }


def dashboard_url(cooperative) -> str:
    return f"/cooperative/{cooperative.id}/"


def figures(html: str) -> dict[str, str]:
    return {
        node.attrs["data-figure"]: node.text.strip()
        for node in parse(html).iter()
        if "data-figure" in node.attrs
    }


# --- what the manager sees --------------------------------------------------------------------


def test_the_manager_sees_members_requests_and_commission(
    english, factory, login_as, people, gateway
):
    # Given: the weaver sold twice — 2,000,000 rials delivered 8 days ago (available),
    # 1,000,000 two days ago (pending) — and has a third listing and one waiting for review.
    weaver = people["weaver"]
    sell_online(factory, weaver, price=2_000_000, days_ago=8)
    sell_online(factory, weaver, price=1_000_000, days_ago=2)
    factory.listing(weaver, title="گلیم سوم")
    factory.listing(weaver, title="در انتظار", active=False)
    login_as(people["ours_manager"])

    # When
    response = english.get(dashboard_url(people["ours"]))

    # Then: the cooperative, its 3% of each sale, and its one member and one request.
    assert response.status_code == 200
    html = response.text
    root = parse(html)
    assert root.find("h1").text.strip() == "تعاونی ما"
    assert "Commission rate: 3%" in html
    assert "Not verified yet" in html
    assert figures(html) == {
        "balance": "9,000 toman",
        "available": "6,000 toman",
        "pending": "3,000 toman",
        "month": "9,000 toman",
    }
    rows = root.find("tbody").find_all("tr")
    assert [row.attrs["data-member"] for row in rows] == [str(weaver.id)]
    row = rows[0]
    assert row.find("a").attrs["href"] == f"/shops/{quote(weaver.slug)}"
    assert row.find("a").text.strip() == "کارگاه گلیم مریم"
    assert "مرکز رویش طلاب" in row.text
    # The two sold listings (stock left) and the third are on sale; the pending one is not.
    assert [n.attrs["data-active"] for n in row.iter() if "data-active" in n.attrs] == ["3"]
    item = root.find(class_="queue-item")
    assert item.attrs["data-request"] == str(people["request"].id)
    assert "چرم‌دوزی نرگس" in item.text
    assert len(item.find_all("form")) == 2
    # Nothing of the other cooperative.
    assert "تعاونی آنها" not in html and "سفال یزد" not in html


def test_the_dashboard_links_to_every_page_of_the_cooperative(english, login_as, people):
    ours = people["ours"]
    login_as(people["ours_manager"])

    nav = parse(english.get(dashboard_url(ours)).text).find(class_="cooperative-links")

    assert [a.attrs["href"] for a in nav.find_all("a")] == [
        f"/cooperative/{ours.id}/reports",
        f"/cooperative/{ours.id}/statement",
        f"/cooperative/{ours.id}/subsidies",
        f"/cooperative/{ours.id}/earnings",
        f"/cooperative/{ours.id}/brand",
        f"/cooperatives/{quote(ours.slug)}",
    ]


def test_a_new_cooperative_shows_zeros_and_empty_lists(english, factory, login_as):
    manager = factory.user()
    cooperative = factory.cooperative(name="تعاونی تازه", manager=manager)
    login_as(manager)

    html = english.get(dashboard_url(cooperative)).text

    assert set(figures(html).values()) == {"0 toman"}
    assert "No member producers yet." in html
    assert "No requests are waiting." in html


def test_members_are_listed_in_one_query_however_many_there_are(
    client, factory, login_as, people, count_queries
):
    login_as(people["ours_manager"])
    url = dashboard_url(people["ours"])
    client.get(url)
    with count_queries() as one_member:
        assert client.get(url).status_code == 200

    for n in range(3):
        member = factory.producer(shop_name=f"کارگاه {n}", cooperative=people["ours"])
        factory.listing(member)
    with count_queries() as four_members:
        html = client.get(url).text

    assert len(parse(html).find("tbody").find_all("tr")) == 4
    assert four_members.count == one_member.count


def test_an_admin_opens_the_dashboard_but_leaves_requests_to_the_managers(
    english, login_as, people
):
    login_as(people["admin"])

    response = english.get(dashboard_url(people["ours"]))

    assert response.status_code == 200
    item = parse(response.text).find(class_="queue-item")
    assert "چرم‌دوزی نرگس" in item.text
    assert item.find_all("form") == []
    assert "Only the cooperative's managers decide on requests to join." in response.text


# --- who may open it --------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["", "brand"])
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (None, 302),
        ("buyer", 404),
        ("weaver", 404),
        ("asking", 404),
        ("theirs_manager", 404),
        ("ours_manager", 200),
        ("admin", 200),
    ],
    ids=lambda value: str(value),
)
def test_only_its_managers_and_admins_open_the_cooperatives_pages(
    client, login_as, people, page, who, expected
):
    if who is not None:
        person = people[who]
        login_as(getattr(person, "user", person))

    response = client.get(f"/cooperative/{people['ours'].id}/{page}")

    assert response.status_code == expected
    if who is None:
        assert response.headers["Location"].startswith("/login")
    if expected == 404:
        html = response.text
        for text in ["تعاونی ما", "کارگاه گلیم مریم", "چرم‌دوزی نرگس", "مشهد"]:
            assert text not in html


def test_an_unknown_cooperative_is_not_found(client, login_as, people):
    login_as(people["admin"])

    assert client.get("/cooperative/999999/").status_code == 404


# --- the manager's page -----------------------------------------------------------------------


def test_a_manager_of_one_cooperative_goes_straight_to_its_dashboard(client, login_as, people):
    login_as(people["ours_manager"])

    response = client.get("/cooperative/manage")

    assert response.status_code in (302, 303)
    assert response.headers["Location"] == dashboard_url(people["ours"])


def test_a_manager_of_two_cooperatives_chooses_one(english, factory, login_as, people):
    manager = people["ours_manager"]
    second = factory.cooperative(name="تعاونی دوم", city="نیشابور", manager=manager)
    login_as(manager)

    response = english.get("/cooperative/manage")

    assert response.status_code == 200
    items = {
        item.attrs["data-cooperative"]: item
        for item in parse(response.text).find_all(class_="queue-item")
    }
    assert set(items) == {str(people["ours"].id), str(second.id)}
    ours, other = items[str(people["ours"].id)], items[str(second.id)]
    assert ours.find("a").attrs["href"] == dashboard_url(people["ours"])
    assert other.find("a").attrs["href"] == dashboard_url(second)
    assert "1 request to join is waiting." in ours.text
    assert "No requests are waiting." in other.text
    assert "تعاونی آنها" not in response.text


def test_the_managers_page_is_for_managers(client, login_as, people):
    login_as(people["buyer"])

    assert client.get("/cooperative/manage").status_code == 403
