"""Training figures: an admin sets one centre's month, or imports a CSV file of many (all of it
or none of it, naming the bad row); the programme role reads them and changes nothing."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from shop.accounts.models import Role
from shop.audit.models import AuditEntry
from shop.extensions import db
from shop.reports.models import TrainingRecord
from tests.conftest import count

HEADER = "centre_slug,jalali_year,jalali_month,trained\n"


@pytest.fixture
def centres(factory):
    return factory.centre(name="Tollab centre"), factory.centre(name="Seyyedi centre")


@pytest.fixture
def admin(client, login_as, factory):
    user = factory.admin()
    login_as(user)
    client.post("/language/en", data={"next": "/"})
    return user


def figures() -> dict:
    """(centre id, year, month) → trained, as the database holds them."""
    return {
        (r.centre_id, r.jalali_year, r.jalali_month): r.trained
        for r in db.session.scalars(select(TrainingRecord))
    }


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def set_form(centre, trained="12", year="1405", month="3") -> dict:
    return {
        "action": "set",
        "centre_id": str(centre.id),
        "year": year,
        "month": month,
        "trained": trained,
    }


def upload(text: str, encoding="utf-8") -> dict:
    return {"action": "import", "file": (io.BytesIO(text.encode(encoding)), "training.csv")}


def test_an_admin_sets_a_month_and_the_table_shows_it(client, admin, centres):
    tollab, _ = centres

    response = client.post("/programme/training", data=set_form(tollab))

    assert response.status_code == 303
    assert response.headers["Location"].endswith("/programme/training?year=1405")
    assert figures() == {(tollab.id, 1405, 3): 12}
    [entry] = audit("training.set")
    assert entry.actor_id == admin.id and entry.subject == f"centre:{tollab.id}"
    assert json.loads(entry.before) == {"month": "1405-03", "trained": None}
    assert json.loads(entry.after) == {"month": "1405-03", "trained": 12}
    record = db.session.scalar(select(TrainingRecord))
    assert record.updated_by_id == admin.id
    page = client.get("/programme/training?year=1405").text
    assert "Tollab centre" in page and "<strong>12</strong>" in page


def test_setting_a_month_again_replaces_it_with_persian_digits(client, admin, centres):
    tollab, _ = centres
    client.post("/programme/training", data=set_form(tollab, "12"))

    response = client.post("/programme/training", data=set_form(tollab, "۱۵", year="۱۴۰۵"))

    assert response.status_code == 303
    assert figures() == {(tollab.id, 1405, 3): 15}
    assert json.loads(audit("training.set")[-1].before)["trained"] == 12


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"trained": "100001"}, "a whole number from 0 to 100,000"),
        ({"trained": "-1"}, "a whole number"),
        ({"trained": ""}, "a whole number from 0 to 100,000"),
        ({"year": "1200"}, "between 1300 and 1600"),
        ({"month": "13"}, "Not a valid choice"),
        ({"centre_id": "999999"}, "Not a valid choice"),
    ],
)
def test_a_wrong_figure_is_refused_and_nothing_changes(client, admin, centres, change, message):
    tollab, _ = centres

    response = client.post("/programme/training", data={**set_form(tollab), **change})

    assert response.status_code == 400
    assert message in response.text
    assert figures() == {} and count(AuditEntry) == 0


def test_a_file_is_imported_with_or_without_a_byte_order_mark(client, admin, centres):
    tollab, seyyedi = centres
    client.post("/programme/training", data=set_form(tollab, "3", month="1"))
    text = (
        HEADER
        + f"{tollab.slug},1405,1,40\n"
        + f"{tollab.slug},۱۴۰۵,۲,۷\n"
        + "\n"  # a blank line is skipped
        + f"{seyyedi.slug},1404,12,0\n"
    )

    response = client.post("/programme/training", data=upload("\ufeff" + text))

    assert response.status_code == 303
    assert figures() == {
        (tollab.id, 1405, 1): 40,
        (tollab.id, 1405, 2): 7,
        (seyyedi.id, 1404, 12): 0,
    }
    [entry] = audit("training.import")
    after = json.loads(entry.after)
    assert after["rows"] == 3 and after["changes"][0]["before"] == 3
    assert "3 training figures were imported." in client.get("/programme/training").text

    again = client.post("/programme/training", data=upload(HEADER + f"{seyyedi.slug},1404,12,9\n"))

    assert again.status_code == 303
    assert figures()[(seyyedi.id, 1404, 12)] == 9


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("{a},1405,1,5\nnowhere,1405,2,5\n", "Row 3: No centre has the short name nowhere."),
        ("{a},1405,1,5\n{a},1405,13,5\n", "Row 3: The year must be from 1300 to 1600"),
        ("{a},1299,1,5\n", "Row 2: The year must be from 1300 to 1600"),
        ("{a},1405,1,many\n", "Row 2: The number trained must be a whole number"),
        ("{a},1405,1,100001\n", "Row 2: The number trained must be a whole number"),
        ("{a},1405,1,-4\n", "Row 2: The number trained must be a whole number"),
        ("{a},1405,1\n", "Row 2: It must have exactly four values."),
        ("{a},1405,1,5\n{a},1405,01,6\n", "Row 3: The same centre and month are already on row 2."),
        (",1405,1,5\n", "Row 2: The centre is missing."),
    ],
)
def test_a_file_with_a_bad_row_is_refused_whole(client, admin, centres, rows, message):
    tollab, _ = centres
    client.post("/programme/training", data=set_form(tollab, "3", month="1"))
    before = figures()

    response = client.post("/programme/training", data=upload(HEADER + rows.format(a=tollab.slug)))

    assert response.status_code == 400
    assert message in response.text and "Nothing was imported." in response.text
    assert figures() == before and audit("training.import") == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"slug,year,month,trained\nx,1405,1,1\n", "Row 1: The first row must name the columns"),
        (HEADER.encode(), "The file has no rows of figures."),
        (b"", "Row 1: The first row must name the columns"),
        (HEADER.encode() + "مرکز,1405,1,1\n".encode("utf-16"), "Save the file as CSV in UTF-8"),
    ],
)
def test_a_file_that_is_not_a_training_file_is_refused(client, admin, centres, data, message):
    response = client.post(
        "/programme/training",
        data={"action": "import", "file": (io.BytesIO(data), "training.csv")},
    )

    assert response.status_code == 400
    assert message in response.text
    assert figures() == {} and count(AuditEntry) == 0


def test_an_import_without_a_file_is_refused(client, admin, centres):
    response = client.post("/programme/training", data={"action": "import"})

    assert response.status_code == 400
    assert "Choose the CSV file to import." in response.text
    assert figures() == {}


def test_the_persian_page_names_the_bad_row_in_persian_digits(client, login_as, factory, centres):
    tollab, _ = centres
    login_as(factory.admin())

    response = client.post(
        "/programme/training", data=upload(HEADER + f"{tollab.slug},1405,1,5\nnowhere,1405,2,5\n")
    )

    assert response.status_code == 400
    assert "۳" in response.text and figures() == {}


def test_the_programme_role_reads_the_figures_and_changes_nothing(
    client, login_as, factory, centres
):
    tollab, _ = centres
    admin = factory.admin()
    login_as(admin)
    client.post("/programme/training", data=set_form(tollab, "12"))
    client.post("/logout")
    login_as(factory.user(roles=[Role.PROGRAMME]))
    client.post("/language/en", data={"next": "/"})

    page = client.get("/programme/training?year=1405")
    refused = [
        client.post("/programme/training", data=set_form(tollab, "99")),
        client.post("/programme/training", data=upload(HEADER + f"{tollab.slug},1405,3,99\n")),
    ]

    assert page.status_code == 200
    assert "<strong>12</strong>" in page.text
    assert 'name="trained"' not in page.text and 'type="file"' not in page.text
    assert [response.status_code for response in refused] == [403, 403]
    assert figures() == {(tollab.id, 1405, 3): 12} and len(audit("training.set")) == 1
    assert audit("training.import") == []


def test_a_year_that_is_not_one_is_a_bad_request(client, admin, centres):
    assert client.get("/programme/training?year=abc").status_code == 400
    assert client.get("/programme/training?year=1200").status_code == 400
    assert client.get("/programme/training?year=۱۴۰۵").status_code == 200


def test_an_unknown_action_is_a_bad_request(client, admin, centres):
    response = client.post("/programme/training", data={"action": "delete"})

    assert response.status_code == 400 and figures() == {}
