"""The programme admin approves producers and listings, and creates centres and cooperatives."""

import io

import pytest
from sqlalchemy import select

from shop.accounts.models import Role
from shop.cooperatives.models import Centre, Cooperative
from shop.database import transaction
from shop.extensions import db
from shop.listings.models import ProductStatus
from shop.producers.models import Producer, ProducerStatus
from tests.conftest import make_jpeg


def test_producer_applies_and_admin_approves(client, factory, login_as):
    centre = factory.centre()
    admin = factory.admin()
    applicant = factory.user(email="zahra@example.com")
    login_as(applicant)

    response = client.post(
        "/producer/apply",
        data={
            "shop_name": "گلیم زهرا",
            "city": "مشهد",
            "neighbourhood": "طلاب",
            "centre_id": str(centre.id),
            "cooperative_id": "0",
            "certificate": (io.BytesIO(make_jpeg()), "گواهی.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    producer = db.session.scalar(select(Producer))
    assert producer.status is ProducerStatus.APPLIED
    assert producer.certificate is not None
    client.post("/logout")

    login_as(admin)
    assert "گلیم زهرا" in client.get("/admin/producers").text
    response = client.post(
        f"/admin/producers/{producer.id}/approve", data={"certificate_verified": "y"}
    )

    assert response.status_code == 303
    db.session.expire_all()
    assert producer.status is ProducerStatus.APPROVED
    assert producer.is_certificate_verified
    assert producer.user.has_role(Role.PRODUCER)
    assert client.get(f"/shops/{producer.slug}").status_code == 200


def test_admin_rejects_producer_with_reason_and_producer_sees_it(client, factory, login_as):
    admin = factory.admin()
    producer = factory.producer(approved=False)
    login_as(admin)

    client.post(f"/admin/producers/{producer.id}/reject", data={"reason": "مدرک مهارت لازم است"})

    db.session.expire_all()
    assert producer.status is ProducerStatus.REJECTED
    client.post("/logout")
    login_as(producer.user)
    assert "مدرک مهارت لازم است" in client.get("/producer/").text


def test_reject_without_reason_changes_nothing(client, factory, login_as):
    admin = factory.admin()
    producer = factory.producer(approved=False)
    login_as(admin)

    client.post(f"/admin/producers/{producer.id}/reject", data={"reason": ""})

    db.session.expire_all()
    assert producer.status is ProducerStatus.APPLIED


def _decision(product) -> dict:
    """What the queue's forms carry for ``product``: the revision and the version shown."""
    revision = product.open_revision
    return {"revision_id": str(revision.id), "version": str(revision.version)}


def test_moderation_queue_approve_and_reject(client, factory, login_as):
    admin = factory.admin()
    producer = factory.producer()
    first = factory.listing(producer, title="تابلوفرش", active=False)
    second = factory.listing(producer, title="کیف", active=False)
    login_as(admin)
    queue = client.get("/admin/listings").text
    assert "تابلوفرش" in queue and "کیف" in queue
    assert f'name="revision_id" value="{first.open_revision.id}"' in queue

    client.post(f"/admin/listings/{first.id}/approve", data=_decision(first))
    client.post(
        f"/admin/listings/{second.id}/reject",
        data={**_decision(second), "reason": "قیمت اشتباه است"},
    )

    db.session.expire_all()
    assert first.status is ProductStatus.ACTIVE and first.published_at is not None
    assert first.revisions[0].reviewed_by_id == admin.id
    assert second.status is ProductStatus.REJECTED
    assert second.open_revision.rejection_reason == "قیمت اشتباه است"
    assert client.get(f"/products/{first.id}").status_code == 200
    assert client.get(f"/products/{second.id}").status_code == 404


def test_an_approval_of_a_version_the_admin_did_not_see_is_refused(client, factory, login_as):
    # Given an admin who opened the queue while a listing was at version 1
    admin = factory.admin()
    producer = factory.producer()
    product = factory.listing(producer, title="گلیم دیده‌شده", active=False)
    login_as(admin)
    client.get("/admin/listings")
    seen = _decision(product)
    # …and the producer who then edits the pending listing
    from shop.listings import services

    revision = product.open_revision
    with transaction():
        revision.title = "متن دیده‌نشده"
        services._touch(revision)

    # When the admin approves what they saw
    response = client.post(f"/admin/listings/{product.id}/approve", data=seen)

    # Then it is refused with a clear message, and nothing is on sale
    assert response.status_code == 409
    assert "بعد از" in response.text  # "…changed this listing after you opened it…"
    assert "متن دیده‌نشده" in response.text  # the queue shows the version waiting now
    db.session.expire_all()
    assert product.status is ProductStatus.PENDING
    assert client.get(f"/products/{product.id}").status_code == 404


def test_approving_twice_is_refused_kindly(client, factory, login_as):
    admin = factory.admin()
    product = factory.listing(factory.producer(), active=False)
    login_as(admin)
    decision = _decision(product)
    assert client.post(f"/admin/listings/{product.id}/approve", data=decision).status_code == 303

    response = client.post(f"/admin/listings/{product.id}/approve", data=decision)

    assert response.status_code == 409
    db.session.expire_all()
    assert product.status is ProductStatus.ACTIVE


@pytest.mark.parametrize(
    "data",
    [{}, {"revision_id": "x", "version": "1"}, {"revision_id": "1", "version": "9" * 30}],
    ids=["missing", "not-a-number", "huge"],
)
def test_a_decision_without_a_valid_revision_is_a_400(client, factory, login_as, data):
    product = factory.listing(factory.producer(), active=False)
    login_as(factory.admin())

    assert client.post(f"/admin/listings/{product.id}/approve", data=data).status_code == 400
    db.session.expire_all()
    assert product.status is ProductStatus.PENDING


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/producers", "/admin/listings", "/admin/centres"]
)
def test_non_admins_are_refused(client, factory, login_as, url):
    login_as(factory.producer().user)

    assert client.get(url).status_code == 403


def test_unknown_ids_get_404(client, factory, login_as):
    login_as(factory.admin())

    assert client.post("/admin/listings/9999/approve").status_code == 404
    assert client.post("/admin/producers/9999/approve").status_code == 404


def test_admin_creates_centre_and_cooperative_with_manager(client, factory, login_as):
    manager = factory.user(email="manager@example.com")
    login_as(factory.admin())

    client.post(
        "/admin/centres", data={"name": "مرکز رویش گلشهر", "city": "مشهد", "neighbourhood": "گلشهر"}
    )
    response = client.post(
        "/admin/cooperatives",
        data={
            "name": "تعاونی زنان گلشهر",
            "city": "مشهد",
            "commission_bp": "۳۰۰",
            "manager_email": "Manager@example.com",
        },
    )

    assert response.status_code == 303
    centre = db.session.scalar(select(Centre))
    cooperative = db.session.scalar(select(Cooperative))
    assert centre.slug == "مرکز-رویش-گلشهر"
    assert cooperative.commission_bp == 300
    db.session.expire_all()
    assert manager.has_role(Role.COOPERATIVE_MANAGER)
    assert client.get(f"/centres/{centre.slug}").status_code == 200
    assert client.get(f"/cooperatives/{cooperative.slug}").status_code == 200


def test_cooperative_with_unknown_manager_is_refused(client, factory, login_as):
    login_as(factory.admin())

    response = client.post(
        "/admin/cooperatives",
        data={
            "name": "تعاونی",
            "city": "مشهد",
            "commission_bp": "300",
            "manager_email": "ghost@example.com",
        },
    )

    assert response.status_code == 400
    assert 'id="manager_email-error"' in response.text
    assert db.session.scalar(select(Cooperative)) is None
