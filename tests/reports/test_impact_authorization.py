"""Who may open and change which programme page: admins everything; the programme role reads
the impact and training figures and changes nothing; everyone else is refused (anonymous
visitors are sent to sign in); the public /impact page is for anyone. Every refusal changes
nothing."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from shop.accounts.models import Role, UserRole
from shop.audit.models import AuditEntry
from shop.extensions import db
from shop.reports import impact
from shop.reports.models import TrainingRecord
from tests.conftest import count, reload

WHO = ["anonymous", "buyer", "producer", "manager", "programme", "admin"]
READERS = {"programme", "admin"}


@pytest.fixture
def people(factory):
    """One person of each kind, a centre, and a buyer the admin may make programme staff."""
    impact.clear_public_cache()
    manager = factory.user()
    factory.cooperative(manager=manager)
    centre = factory.centre()
    return {
        "anonymous": None,
        "buyer": factory.user(),
        "producer": factory.producer().user,
        "manager": reload(manager),
        "programme": factory.user(roles=[Role.PROGRAMME]),
        "admin": factory.admin(),
        "centre": centre,
        "candidate": factory.user(email="staff@example.com"),
    }


def request_as(client, login_as, people, who, method, url, data=None):
    if people[who] is not None:
        login_as(people[who])
    return client.open(url, method=method, data=data or {})


READ_PAGES = [
    "/programme/impact",
    "/programme/impact?period=year&year=1405",
    "/programme/impact.csv",
    "/programme/impact.xlsx",
    "/programme/training",
]


@pytest.mark.parametrize("url", READ_PAGES)
@pytest.mark.parametrize("who", WHO)
def test_the_impact_and_training_figures_are_for_admins_and_programme_staff(
    client, login_as, people, who, url
):
    response = request_as(client, login_as, people, who, "GET", url)

    if who == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == (200 if who in READERS else 403)


@pytest.mark.parametrize("who", WHO)
def test_an_export_of_an_unknown_kind_is_not_found_for_readers(client, login_as, people, who):
    response = request_as(client, login_as, people, who, "GET", "/programme/impact.pdf")

    expected = {"anonymous": 302}.get(who, 404 if who in READERS else 403)
    assert response.status_code == expected


@pytest.mark.parametrize("who", WHO)
def test_the_staff_page_is_for_admins_only(client, login_as, people, who):
    response = request_as(client, login_as, people, who, "GET", "/programme/staff")

    expected = {"anonymous": 302, "admin": 200}.get(who, 403)
    assert response.status_code == expected


@pytest.mark.parametrize("who", WHO)
def test_the_public_page_is_for_anyone(client, login_as, people, who):
    assert request_as(client, login_as, people, who, "GET", "/impact").status_code == 200


def _training_posts(centre) -> list[dict]:
    return [
        {
            "action": "set",
            "centre_id": str(centre.id),
            "year": "1405",
            "month": "3",
            "trained": "12",
        },
        {
            "action": "import",
            "file": (
                io.BytesIO(
                    f"centre_slug,jalali_year,jalali_month,trained\n{centre.slug},1405,4,9\n".encode()
                ),
                "t.csv",
            ),
        },
    ]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("post", [0, 1], ids=["set", "import"])
def test_only_an_admin_changes_training_figures(client, login_as, people, who, post):
    data = _training_posts(people["centre"])[post]

    response = request_as(client, login_as, people, who, "POST", "/programme/training", data)

    if who == "admin":
        assert response.status_code == 303
        assert count(TrainingRecord) == 1 and count(AuditEntry) == 1
    else:
        assert response.status_code == (302 if who == "anonymous" else 403)
        assert count(TrainingRecord) == 0 and count(AuditEntry) == 0


@pytest.mark.parametrize("who", WHO)
def test_only_an_admin_grants_the_programme_role(client, login_as, people, who):
    data = {"action": "grant", "email": "staff@example.com"}

    response = request_as(client, login_as, people, who, "POST", "/programme/staff", data)

    granted = reload(people["candidate"]).has_role(Role.PROGRAMME)
    if who == "admin":
        assert response.status_code == 303 and granted
    else:
        assert response.status_code == (302 if who == "anonymous" else 403)
        assert not granted and count(AuditEntry) == 0


@pytest.mark.parametrize("who", WHO)
def test_only_an_admin_takes_the_programme_role_back(client, login_as, people, who):
    staff = people["programme"]
    data = {"action": "revoke", "user_id": str(staff.id)}

    response = request_as(client, login_as, people, who, "POST", "/programme/staff", data)

    still = count(UserRole, UserRole.user_id == staff.id, UserRole.role == Role.PROGRAMME)
    if who == "admin":
        assert response.status_code == 303 and still == 0
    else:
        # the programme member themselves is refused too: access is the admin's to give
        assert response.status_code == (302 if who == "anonymous" else 403)
        assert still == 1 and count(AuditEntry) == 0


def test_the_impact_link_shows_for_admins_and_programme_staff_only(client, login_as, people):
    for who, shown in (("buyer", False), ("programme", True)):
        login_as(people[who])
        page = client.get("/").get_data(as_text=True)
        assert ('href="/programme/impact"' in page) is shown
        client.post("/logout")


# -- granting and taking back the programme role --------------------------------------------


def test_an_admin_grants_and_takes_back_programme_access(client, login_as, people):
    admin, candidate = people["admin"], people["candidate"]
    login_as(admin)
    client.post("/language/en", data={"next": "/"})

    granted = client.post(
        "/programme/staff", data={"action": "grant", "email": " Staff@Example.com "}
    )
    page = client.get("/programme/staff").text
    revoked = client.post(
        "/programme/staff", data={"action": "revoke", "user_id": str(candidate.id)}
    )

    assert granted.status_code == 303 and revoked.status_code == 303
    assert "staff@example.com" in page and "can now read the impact figures" in page
    assert not reload(candidate).has_role(Role.PROGRAMME)
    actions = [
        (entry.action, entry.subject, entry.actor_id)
        for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    ]
    assert actions == [
        ("programme.grant", f"user:{candidate.id}", admin.id),
        ("programme.revoke", f"user:{candidate.id}", admin.id),
    ]


@pytest.mark.parametrize(
    ("email", "status", "message"),
    [
        ("nobody@example.com", 400, "No account has that e-mail address."),
        ("not an address", 400, "Enter a valid e-mail address."),
        ("", 400, "Enter the e-mail address of their account."),
    ],
)
def test_granting_to_no_account_is_refused(client, login_as, people, email, status, message):
    login_as(people["admin"])
    client.post("/language/en", data={"next": "/"})

    response = client.post("/programme/staff", data={"action": "grant", "email": email})

    assert response.status_code == status and message in response.text
    assert count(UserRole, UserRole.role == Role.PROGRAMME) == 1 and count(AuditEntry) == 0


def test_granting_twice_is_a_conflict_and_changes_nothing(client, login_as, people):
    login_as(people["admin"])
    client.post("/language/en", data={"next": "/"})
    staff = people["programme"]

    response = client.post("/programme/staff", data={"action": "grant", "email": staff.email})

    assert response.status_code == 409
    assert "already has access" in response.text
    assert count(UserRole, UserRole.user_id == staff.id) == 1 and count(AuditEntry) == 0


def test_taking_back_what_was_never_given_is_not_found(client, login_as, people):
    login_as(people["admin"])
    buyer = people["buyer"]

    response = client.post("/programme/staff", data={"action": "revoke", "user_id": str(buyer.id)})

    assert response.status_code == 404
    assert count(UserRole, UserRole.role == Role.PROGRAMME) == 1 and count(AuditEntry) == 0
