"""Cooperatives that apply for branding subsidies, invoice files to attach, and the steps of an
application (made, submitted, decided) done through the services as the pages would."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from shop.accounts.models import Role
from shop.database import transaction
from shop.demo.subsidies import pdf_document
from shop.extensions import db
from shop.media.uploads import Upload
from shop.subsidies import services
from shop.subsidies.models import BrandingWork, SubsidyApplication
from tests.conftest import make_jpeg, reload

GOOD_SHEBA = "IR820540102680020817909002"

#: Esfand 30, 1403, 23:59 in Tehran (UTC+3:30), and Farvardin 1, 1404, 00:01: either side
#: of Nowruz.
BEFORE_NOWRUZ = datetime(2025, 3, 20, 20, 29, tzinfo=UTC)
AFTER_NOWRUZ = datetime(2025, 3, 20, 20, 31, tzinfo=UTC)
#: A day of 1404, and one of 1405.
IN_1404 = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)
IN_1405 = datetime(2026, 4, 10, 9, 0, tzinfo=UTC)


def minimal_pdf(text: bytes = b"Invoice 1") -> bytes:
    """A small valid PDF (the demo's own, written by hand)."""
    return pdf_document(text)


def make_png(width=40, height=30) -> bytes:
    return make_jpeg(width, height, fmt="PNG")


def pdf(name: str = "invoice.pdf") -> Upload:
    return Upload(minimal_pdf(), name)


@pytest.fixture
def coop(factory):
    """A cooperative with a Sheba and its manager; another cooperative and its manager; an
    admin."""
    manager, other_manager = factory.user(name="مدیر"), factory.user(name="مدیر دیگر")
    ours = factory.cooperative(name="تعاونی بانوان نقش", manager=manager)
    theirs = factory.cooperative(name="تعاونی چرم رویش", manager=other_manager)
    with transaction():
        reload(ours).sheba = GOOD_SHEBA
    return SimpleNamespace(
        ours=reload(ours),
        theirs=reload(theirs),
        manager=reload(manager),
        other_manager=reload(other_manager),
        admin=factory.admin(),
        programme=factory.user(name="کارشناس", roles=[Role.PROGRAMME]),
    )


def make(cooperative, manager, cost, uploads=None, work=BrandingWork.PACKAGING, supplier="چاپ نو"):
    """A draft application of ``cost`` rials, with a PDF invoice unless told otherwise."""
    with transaction():
        made = services.create_application(
            db.session.get(type(cooperative), cooperative.id),
            manager,
            services.ApplicationData(work=work, cost=cost, supplier=supplier),
            [pdf()] if uploads is None else uploads,
        )
    return reload(made)


def submit(application, manager, now=None) -> SubsidyApplication:
    with transaction():
        services.submit(db.session.get(SubsidyApplication, application.id), manager, now=now)
    return reload(application)


def approve(application, admin, amount, now=None) -> SubsidyApplication:
    with transaction():
        services.approve(application.id, admin, amount, now=now)
    return reload(application)


def submitted(cooperative, manager, cost, now=None, **kwargs) -> SubsidyApplication:
    return submit(make(cooperative, manager, cost, **kwargs), manager, now=now)


def granted(cooperative, manager, admin, cost, amount=None, now=None) -> SubsidyApplication:
    """An application submitted at ``now`` and approved for ``amount`` (by default, all the
    rule allows)."""
    application = submitted(cooperative, manager, cost, now=now)
    return approve(application, admin, amount or application.computed_amount, now=now)
