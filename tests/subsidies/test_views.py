"""The subsidy pages through the browser's forms: a manager applies (in Persian digits too),
sees the arithmetic and submits; an admin approves, rejects or asks for changes and sets the
rule. Bad input is answered with a 4xx and a message, and changes nothing."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.database import transaction
from shop.extensions import db
from shop.ledger.models import LedgerTransaction
from shop.subsidies import queries, services
from shop.subsidies.models import SubsidyApplication, SubsidyInvoice, SubsidyStatus
from tests.conftest import count, form_errors, make_jpeg, reload
from tests.subsidies.conftest import make, minimal_pdf, submitted


def english(client, login_as, user):
    login_as(user)
    client.post("/language/en", data={"next": "/"})
    return client


def application_form(cost="12000000", files=None, **fields):
    data = {
        "work": "packaging",
        "supplier": "چاپ نو",
        "description": "جعبه‌های مقوایی",
        "cost": cost,
    }
    data.update(fields)
    data["invoices"] = files if files is not None else [(io.BytesIO(minimal_pdf()), "invoice.pdf")]
    return data


def only(model):
    return db.session.scalars(select(model)).one()


def test_a_manager_applies_in_persian_digits_and_sees_the_arithmetic(client, login_as, coop):
    login_as(coop.manager)
    url = f"/cooperative/{coop.ours.id}/subsidies/new"
    assert client.get(url).status_code == 200

    # When the cost is typed as Persian writes it, with two invoices
    files = [
        (io.BytesIO(minimal_pdf()), "فاکتور.pdf"),
        (io.BytesIO(make_jpeg(80, 60)), "scan.jpg"),
    ]
    response = client.post(url, data=application_form(cost="۱۲٬۰۰۰٬۰۰۰", files=files))

    # Then a draft of 12,000,000 toman is kept, with both files
    assert response.status_code == 303
    application = only(SubsidyApplication)
    assert (application.cost, application.status, application.supplier) == (
        120_000_000,
        SubsidyStatus.DRAFT,
        "چاپ نو",
    )
    assert [i.content_type for i in application.invoices] == ["application/pdf", "image/jpeg"]
    assert response.headers["Location"].endswith(
        f"/cooperative/{coop.ours.id}/subsidies/{application.id}"
    )

    # And its page spells out the arithmetic by the rule in force now
    client.post("/language/en", data={"next": "/"})
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    year = queries.current_year()
    assert "Share of the cost: 60% × 12,000,000 toman = 7,200,000 toman" in page.text
    assert (
        f"Cap for the Jalali year {year}: 10,000,000 toman − already granted 0 toman = "
        "10,000,000 toman remaining" in page.text
    )
    assert "Subsidy, the smaller of the two: 7,200,000 toman" in page.text
    assert 'data-amount="72000000"' in page.text
    assert page.text.count("/subsidies/invoices/") == 2

    # And submitting it fixes the rule and the amount
    submitted_page = client.post(f"/cooperative/{coop.ours.id}/subsidies/{application.id}/submit")
    assert submitted_page.status_code == 303
    application = reload(application)
    assert (application.status, application.computed_amount) == (
        SubsidyStatus.SUBMITTED,
        72_000_000,
    )
    page = client.get(submitted_page.headers["Location"])
    assert "Waiting for review" in page.text and "Save the changes" not in page.text

    # And a second submission is refused as a conflict
    again = client.post(f"/cooperative/{coop.ours.id}/subsidies/{application.id}/submit")
    assert again.status_code == 409 and "already submitted" in again.text
    assert count(AuditEntry, AuditEntry.action == "subsidy.submit") == 1


@pytest.mark.parametrize(
    ("cost", "message"),
    [
        ("0", "The cost must be more than zero and at most 10,000,000,000 toman."),
        ("-5", "Enter the cost as a number, like 12000000."),
        ("abc", "Enter the cost as a number, like 12000000."),
        ("1e30", "Enter the cost as a number, like 12000000."),
        ("12 million", "Enter the cost as a number, like 12000000."),
        ("12000000 ریال", "Enter the cost as a number, like 12000000."),
        ("99999999999999999999999", "Enter the cost as a number, like 12000000."),
        ("20000000000", "The cost must be more than zero and at most 10,000,000,000 toman."),
        ("", "Enter what the work cost."),
        ("   ", "Enter what the work cost."),
    ],
)
def test_a_cost_that_is_not_a_cost_is_refused(app, client, login_as, coop, cost, message):
    english(client, login_as, coop.manager)

    response = client.post(
        f"/cooperative/{coop.ours.id}/subsidies/new", data=application_form(cost=cost)
    )

    assert response.status_code == 400
    assert message in form_errors(response.text)
    assert count(SubsidyApplication) == 0 and count(SubsidyInvoice) == 0
    assert not (app.config["SHOP_PRIVATE_DIR"] and list(_files(app)))


def _files(app):
    from pathlib import Path

    root = Path(app.config["SHOP_PRIVATE_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_largest_cost_is_taken_through_the_form(client, login_as, coop):
    login_as(coop.manager)
    response = client.post(
        f"/cooperative/{coop.ours.id}/subsidies/new",
        data=application_form(cost="10,000,000,000"),
    )
    assert response.status_code == 303
    assert only(SubsidyApplication).cost == 100_000_000_000


def test_an_invoice_refused_through_the_form_says_why(app, client, login_as, coop):
    english(client, login_as, coop.manager)
    files = [(io.BytesIO(b"<html>no</html>"), "invoice.pdf")]

    response = client.post(
        f"/cooperative/{coop.ours.id}/subsidies/new", data=application_form(files=files)
    )

    assert response.status_code == 400
    assert "invoice.pdf is named as a PDF but is not one." in response.text
    assert count(SubsidyApplication) == 0 and _files(app) == []


def test_other_bad_fields_are_refused(client, login_as, coop):
    english(client, login_as, coop.manager)
    url = f"/cooperative/{coop.ours.id}/subsidies/new"

    for fields, message in (
        ({"work": "spaceship"}, "Not a valid choice"),
        ({"supplier": "  "}, "Write who did the work (the supplier), as on the invoice."),
        ({"supplier": "x" * 161}, "Write at most 160 characters."),
        ({"description": "x" * 2_001}, "Write at most 2,000 characters."),
    ):
        response = client.post(url, data=application_form(**fields))
        assert response.status_code == 400
        assert any(message in error for error in form_errors(response.text)), fields
    assert count(SubsidyApplication) == 0


def test_a_manager_changes_a_draft_and_removes_an_invoice(app, client, login_as, coop):
    application = make(coop.ours, coop.manager, 50_000_000)
    [invoice] = application.invoices
    invoice_id = invoice.id
    login_as(coop.manager)
    url = f"/cooperative/{coop.ours.id}/subsidies/{application.id}"
    page = client.get(url)
    assert page.status_code == 200 and 'value="5000000"' not in page.text  # Persian digits
    assert 'value="۵۰۰۰۰۰۰"' in page.text

    changed = client.post(url, data=application_form(cost="6000000", work="logo"))
    assert changed.status_code == 303
    application = reload(application)
    assert (application.cost, application.work.value, len(application.invoices)) == (
        60_000_000,
        "logo",
        2,
    )

    removed = client.post(f"{url}/invoices/{invoice_id}/remove")
    assert removed.status_code == 303
    assert invoice_id not in [i.id for i in reload(application).invoices]
    assert count(SubsidyInvoice) == 1 and len(_files(app)) == 1

    # another application's invoice cannot be removed through this one
    other = make(coop.ours, coop.manager, 50_000_000)
    assert client.post(f"{url}/invoices/{other.invoices[0].id}/remove").status_code == 404
    assert count(SubsidyInvoice) == 2


def test_a_submitted_application_can_no_longer_be_changed(client, login_as, coop):
    application = submitted(coop.ours, coop.manager, 50_000_000)
    english(client, login_as, coop.manager)
    url = f"/cooperative/{coop.ours.id}/subsidies/{application.id}"

    response = client.post(url, data=application_form(cost="1000"))

    assert response.status_code == 409
    assert "can no longer be changed" in response.text
    assert reload(application).cost == 50_000_000 and count(SubsidyInvoice) == 1
    removed = client.post(f"{url}/invoices/{application.invoices[0].id}/remove")
    assert removed.status_code == 409 and count(SubsidyInvoice) == 1


def test_submitting_without_an_invoice_says_so(client, login_as, coop):
    application = make(coop.ours, coop.manager, 50_000_000, uploads=[])
    english(client, login_as, coop.manager)

    response = client.post(f"/cooperative/{coop.ours.id}/subsidies/{application.id}/submit")

    assert response.status_code == 400
    assert "Attach at least one invoice" in response.text
    assert reload(application).status is SubsidyStatus.DRAFT


def test_the_cooperatives_history_and_what_remains_of_its_cap(client, login_as, coop):
    year = queries.current_year()
    first = submitted(coop.ours, coop.manager, 120_000_000)
    with transaction():
        services.approve(first.id, coop.admin, 50_000_000)
    submitted(coop.ours, coop.manager, 20_000_000)
    english(client, login_as, coop.manager)

    page = client.get(f"/cooperative/{coop.ours.id}/subsidies")

    assert page.status_code == 200
    assert f'data-year="{year}"' in page.text
    assert 'data-cap="100000000"' in page.text and 'data-granted="50000000"' in page.text
    assert 'data-remaining="50000000"' in page.text
    assert 'data-applications="2"' in page.text
    assert "Approved, to be paid" in page.text and "Waiting for review" in page.text
    assert "1,200,000 toman computed" in page.text  # the second: 60% of 2,000,000 toman


def test_an_admin_approves_with_the_allowed_amount_filled_in(client, login_as, coop):
    application = submitted(coop.ours, coop.manager, 120_000_000)
    english(client, login_as, coop.admin)
    url = f"/admin/subsidies/{application.id}"

    page = client.get(url)
    assert page.status_code == 200
    assert 'name="amount"' in page.text and 'value="7200000"' in page.text
    assert "Share of the cost: 60% × 12,000,000 toman = 7,200,000 toman" in page.text
    assert f"/subsidies/invoices/{application.invoices[0].id}" in page.text

    # an amount above what is allowed is refused, with the allowed amount, and nothing changes
    for amount, message in (
        ("7200001", "At most 7,200,000 toman can be granted"),
        ("100000000", "At most 7,200,000 toman can be granted"),
        ("0", "Enter the amount to grant: more than zero."),
        ("-1", "Enter the amount as a number, like 5000000."),
        ("lots", "Enter the amount as a number, like 5000000."),
        ("", "Enter the amount to grant."),
    ):
        refused = client.post(f"{url}/approve", data={"amount": amount})
        assert refused.status_code == 400, amount
        assert any(message in error for error in form_errors(refused.text)), amount
    found = reload(application)
    assert (found.status, found.approved_amount) == (SubsidyStatus.SUBMITTED, None)
    assert count(LedgerTransaction) == 0
    assert count(AuditEntry, AuditEntry.action == "subsidy.approve") == 0

    approved = client.post(f"{url}/approve", data={"amount": "7,000,000"})
    assert approved.status_code == 303
    found = reload(application)
    assert (found.status, found.approved_amount) == (SubsidyStatus.APPROVED, 70_000_000)
    assert count(LedgerTransaction) == 1

    again = client.post(f"{url}/approve", data={"amount": "100000"})
    assert again.status_code == 409 and "already decided" in again.text
    assert reload(application).approved_amount == 70_000_000 and count(LedgerTransaction) == 1


def test_an_admin_asks_for_changes_and_the_manager_sees_the_note(client, login_as, coop):
    application = submitted(coop.ours, coop.manager, 120_000_000)
    english(client, login_as, coop.admin)
    url = f"/admin/subsidies/{application.id}"

    empty = client.post(f"{url}/changes", data={"note": "  "})
    assert empty.status_code == 400
    assert reload(application).status is SubsidyStatus.SUBMITTED

    asked = client.post(f"{url}/changes", data={"note": "Send the supplier's stamped invoice."})
    assert asked.status_code == 303
    assert reload(application).status is SubsidyStatus.CHANGES_REQUESTED

    client.post("/logout")
    english(client, login_as, coop.manager)
    page = client.get(f"/cooperative/{coop.ours.id}/subsidies/{application.id}")
    assert "What the reviewer asks you to change:" in page.text
    assert "Send the supplier&#39;s stamped invoice." in page.text
    assert "Save the changes" in page.text and "Submit it again" in page.text


def test_an_admin_rejects_with_a_reason(client, login_as, coop):
    application = submitted(coop.ours, coop.manager, 120_000_000)
    english(client, login_as, coop.admin)
    url = f"/admin/subsidies/{application.id}"

    empty = client.post(f"{url}/reject", data={"reason": ""})
    assert empty.status_code == 400
    assert "Write the reason, so the cooperative knows why." in form_errors(empty.text)
    assert reload(application).status is SubsidyStatus.SUBMITTED

    rejected = client.post(f"{url}/reject", data={"reason": "Not branding work."})
    assert rejected.status_code == 303
    found = reload(application)
    assert (found.status, found.decision_note) == (SubsidyStatus.REJECTED, "Not branding work.")
    assert "Decide" not in client.get(url).text


def test_the_review_queue_filters_by_status_newest_first(client, login_as, coop):
    from tests.subsidies.conftest import IN_1404, IN_1405

    older = submitted(coop.ours, coop.manager, 10_000_000, now=IN_1404)
    newer = submitted(coop.theirs, coop.other_manager, 20_000_000, now=IN_1405)
    draft = make(coop.ours, coop.manager, 30_000_000)
    with transaction():
        services.reject(older.id, coop.admin, "نه")
    english(client, login_as, coop.admin)

    waiting = client.get("/admin/subsidies/")
    everything = client.get("/admin/subsidies/?status=all")
    rejected = client.get("/admin/subsidies/?status=rejected")

    assert re.findall(r'data-application="(\d+)"', waiting.text) == [str(newer.id)]
    assert re.findall(r'data-application="(\d+)"', everything.text) == [
        str(newer.id),
        str(older.id),
    ]
    assert re.findall(r'data-application="(\d+)"', rejected.text) == [str(older.id)]
    assert draft.reference not in everything.text  # a draft is the cooperative's own
    assert client.get(f"/admin/subsidies/{draft.id}").status_code == 404
    assert client.get("/admin/subsidies/?status=draft").status_code == 400
    assert client.get("/admin/subsidies/?status=nonsense").status_code == 400


def test_the_admin_sets_the_rule(client, login_as, coop):
    english(client, login_as, coop.admin)

    page = client.get("/admin/subsidies/rules")
    assert page.status_code == 200
    assert 'data-rate="6000"' in page.text and 'data-cap="100000000"' in page.text
    assert 'value="60"' in page.text and 'value="10000000"' in page.text

    for rate, cap, message in (
        ("0", "10000000", "The rate must be from 0.01% to 100%."),
        ("100.5", "10000000", "The rate must be from 0.01% to 100%."),
        ("sixty", "10000000", "Enter the rate as a percentage, like 60."),
        ("1000", "10000000", "Enter the rate as a percentage, like 60."),
        ("60", "0", "The yearly cap must be more than zero"),
        ("60", "many", "Enter the cap as a number, like 10000000."),
    ):
        refused = client.post("/admin/subsidies/rules", data={"rate": rate, "cap": cap})
        assert refused.status_code == 400, (rate, cap)
        assert any(message in error for error in form_errors(refused.text)), (rate, cap)
    assert queries.current_rule() == (6_000, 100_000_000)

    saved = client.post("/admin/subsidies/rules", data={"rate": "۵۲٫۵٪", "cap": "8,000,000"})
    assert saved.status_code == 303
    assert queries.current_rule() == (5_250, 80_000_000)
    assert count(AuditEntry, AuditEntry.action == "subsidy.rules") == 1


def test_an_admin_reads_a_cooperatives_pages_but_does_not_apply_for_it(client, login_as, coop):
    application = submitted(coop.ours, coop.manager, 120_000_000)
    english(client, login_as, coop.admin)
    base = f"/cooperative/{coop.ours.id}/subsidies"

    listing = client.get(base)
    detail = client.get(f"{base}/{application.id}")
    assert listing.status_code == 200 and "Apply for a subsidy" not in listing.text
    assert detail.status_code == 200 and "Review it" in detail.text
    assert "Save the changes" not in detail.text
    assert client.get(f"{base}/new").status_code == 403
    assert client.post(f"{base}/new", data=application_form()).status_code == 403
    assert count(SubsidyApplication) == 1


def test_an_allowed_amount_that_is_not_whole_toman_is_offered_rounded_down(client, login_as, coop):
    # 60% of 9,876,543 toman is 5,925,925.8 toman: 59,259,258 rials
    application = submitted(coop.ours, coop.manager, 98_765_430)
    assert application.computed_amount == 59_259_258
    english(client, login_as, coop.admin)
    url = f"/admin/subsidies/{application.id}"

    page = client.get(url)
    assert 'value="5925925"' in page.text and "At most 5,925,925.8 toman." in page.text

    approved = client.post(f"{url}/approve", data={"amount": "5925925"})

    assert approved.status_code == 303
    assert reload(application).approved_amount == 59_259_250
