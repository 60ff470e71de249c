"""Who may open and change which subsidy page: every subsidy URL and method, tried by a visitor,
a buyer, a producer, another cooperative's manager, programme staff, the cooperative's own
manager and an admin. A cooperative's pages are its managers' (an admin reads them but does
not apply for it); to anyone else they do not exist — a 404 with none of its names, figures or
references. The admins' pages are a 403 to everyone else, programme staff included. A visitor
is sent to sign in. Every refusal leaves the database and the invoice files as they were."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pytest

from shop.accounts.models import Role
from shop.i18n import format_money
from shop.subsidies import invoices
from shop.subsidies.models import SubsidyApplication
from tests.conftest import login
from tests.orders.test_authorization_matrix import database_rows
from tests.snapshots import cached_fixture
from tests.subsidies.conftest import make, minimal_pdf, submitted

ACTORS = ("anonymous", "buyer", "producer", "other_manager", "programme", "manager", "admin")
#: Who is neither the cooperative's manager nor an admin.
OUTSIDERS = ("buyer", "producer", "other_manager", "programme")


@cached_fixture
def scene(factory):
    """Our cooperative with a draft and a submitted application (each with an invoice), theirs
    with one submitted, and one person of each kind."""
    manager, other_manager = factory.user(name="مدیر"), factory.user(name="مدیر دیگر")
    ours = factory.cooperative(name="تعاونی بانوان نقش جهان", manager=manager)
    theirs = factory.cooperative(name="تعاونی چرم رویش", manager=other_manager)
    producer = factory.producer()
    draft = make(ours, manager, 123_456_780, supplier="چاپخانه سپیدار")
    waiting = submitted(ours, manager, 98_765_430, supplier="عکاسی نورافشان")
    their = submitted(theirs, other_manager, 55_555_550, supplier="کارگاه رنگین‌کمان")
    return SimpleNamespace(
        ours=ours,
        theirs=theirs,
        draft=draft,
        waiting=waiting,
        their=their,
        users={
            "buyer": factory.user(),
            "producer": producer.user,
            "other_manager": other_manager,
            "programme": factory.user(roles=[Role.PROGRAMME]),
            "manager": manager,
            "admin": factory.admin(),
        },
    )


@pytest.fixture
def world(scene, app):
    """The scene with its invoice files back in place (the snapshot keeps rows only)."""
    store = invoices.invoice_store()
    for application in (scene.draft, scene.waiting, scene.their):
        for invoice in application.invoices:
            store.save(invoice.key, minimal_pdf())
    return scene


def private_files(app) -> list[tuple[str, bytes]]:
    root = Path(app.config["SHOP_PRIVATE_DIR"])
    return sorted((str(p), p.read_bytes()) for p in root.rglob("*") if p.is_file())


def secrets_of(s, *applications) -> list[str]:
    """What must never show to someone who may not see these applications."""
    found = []
    for application in applications:
        cooperative = application.cooperative
        found += [
            cooperative.name,
            application.reference,
            application.supplier,
            str(application.cost),
            format_money(application.cost),
        ]
        if application.computed_amount:
            found += [str(application.computed_amount), format_money(application.computed_amount)]
    return found


def ours_secrets(s) -> list[str]:
    return secrets_of(s, s.draft, s.waiting)


def application_form():
    return {
        "work": "labels",
        "supplier": "چاپ تازه",
        "cost": "1000000",
        "invoices": [(io.BytesIO(minimal_pdf()), "invoice.pdf")],
    }


#: (method, URL, form, whose: "coop" for the cooperative's pages, "admin" for the admins').
ROUTES = [
    ("GET", "/cooperative/{ours}/subsidies", None, "coop"),
    ("GET", "/cooperative/{ours}/subsidies/new", None, "coop"),
    ("POST", "/cooperative/{ours}/subsidies/new", application_form, "coop"),
    ("GET", "/cooperative/{ours}/subsidies/{draft}", None, "coop"),
    ("POST", "/cooperative/{ours}/subsidies/{draft}", application_form, "coop"),
    ("POST", "/cooperative/{ours}/subsidies/{draft}/submit", dict, "coop"),
    ("POST", "/cooperative/{ours}/subsidies/{draft}/invoices/{draft_invoice}/remove", dict, "coop"),
    ("GET", "/subsidies/invoices/{waiting_invoice}", None, "coop"),
    ("GET", "/admin/subsidies/", None, "admin"),
    ("GET", "/admin/subsidies/?status=all", None, "admin"),
    ("GET", "/admin/subsidies/{waiting}", None, "admin"),
    ("POST", "/admin/subsidies/{waiting}/approve", lambda: {"amount": "1000000"}, "admin"),
    ("POST", "/admin/subsidies/{waiting}/reject", lambda: {"reason": "نه"}, "admin"),
    ("POST", "/admin/subsidies/{waiting}/changes", lambda: {"note": "فاکتور"}, "admin"),
    ("GET", "/admin/subsidies/rules", None, "admin"),
    ("POST", "/admin/subsidies/rules", lambda: {"rate": "50", "cap": "5000000"}, "admin"),
]


def url_of(template: str, s) -> str:
    return template.format(
        ours=s.ours.id,
        draft=s.draft.id,
        waiting=s.waiting.id,
        draft_invoice=s.draft.invoices[0].id,
        waiting_invoice=s.waiting.invoices[0].id,
    )


def expected(actor: str, method: str, template: str, whose: str) -> int:
    if actor == "anonymous":
        return 302
    if whose == "coop":
        if actor in OUTSIDERS:
            return 404
        if actor == "admin" and (method == "POST" or template.endswith("/new")):
            return 403  # the admin reads the cooperative's pages; applying is its managers'
        return 200 if method == "GET" else 303
    if actor != "admin":
        return 403
    return 200 if method == "GET" else 303


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(
    ("method", "template", "form", "whose"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES]
)
def test_every_subsidy_url_answers_each_kind_of_person(
    app, client, world, actor, method, template, form, whose
):
    s = world
    if actor != "anonymous":
        assert login(client, s.users[actor].email).status_code == 303
    url = url_of(template, s)
    rows, files = database_rows(), private_files(app)

    response = client.open(url, method=method, data=form() if form else None)

    status = expected(actor, method, template, whose)
    assert response.status_code == status, response.text[:300]
    if status in (302, 403, 404):
        assert database_rows() == rows and private_files(app) == files
    if status == 302:
        assert "/login" in response.headers["Location"]
    if status in (403, 404):
        shown = [secret for secret in ours_secrets(s) if secret in response.text]
        assert shown == []
    if status == 200 and actor == "manager" and "invoices" not in url:
        # the manager's pages never show the other cooperative's applications
        assert [x for x in secrets_of(s, s.their) if x in response.text] == []


def test_a_manager_cannot_reach_another_cooperatives_application_through_their_own(
    app, client, world
):
    s = world
    login(client, s.users["manager"].email)
    their, theirs = s.their, s.theirs
    rows, files = database_rows(), private_files(app)

    for method, url in (
        ("GET", f"/cooperative/{s.ours.id}/subsidies/{their.id}"),
        ("POST", f"/cooperative/{s.ours.id}/subsidies/{their.id}"),
        ("POST", f"/cooperative/{s.ours.id}/subsidies/{their.id}/submit"),
        (
            "POST",
            f"/cooperative/{s.ours.id}/subsidies/{their.id}/invoices/{their.invoices[0].id}/remove",
        ),
        (
            "POST",
            f"/cooperative/{s.ours.id}/subsidies/{s.draft.id}/invoices/{their.invoices[0].id}/remove",
        ),
        ("GET", f"/cooperative/{theirs.id}/subsidies"),
        ("GET", f"/cooperative/{theirs.id}/subsidies/{their.id}"),
        ("GET", f"/cooperative/{theirs.id}/subsidies/new"),
        ("GET", f"/subsidies/invoices/{their.invoices[0].id}"),
        ("GET", "/cooperative/999999/subsidies"),
        ("GET", "/subsidies/invoices/999999"),
    ):
        data = application_form() if method == "POST" else None
        response = client.open(url, method=method, data=data)
        assert response.status_code == 404, (method, url)
        assert [x for x in secrets_of(s, their) if x in response.text] == [], url
    assert database_rows() == rows and private_files(app) == files


def test_programme_staff_change_nothing_anywhere(app, client, world):
    s = world
    login(client, s.users["programme"].email)
    rows, files = database_rows(), private_files(app)

    for method, template, form, _whose in ROUTES:
        if method == "POST":
            response = client.open(url_of(template, s), method=method, data=form())
            assert response.status_code in (403, 404), template

    assert database_rows() == rows and private_files(app) == files
    assert [a.status.value for a in (s.draft, s.waiting)] == ["draft", "submitted"]
    assert all(isinstance(a, SubsidyApplication) for a in (s.draft, s.waiting, s.their))
