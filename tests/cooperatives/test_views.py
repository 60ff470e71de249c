"""A producer asks to join a cooperative; only that cooperative's manager decides."""

from sqlalchemy import select

from shop.cooperatives.models import MembershipRequest, MembershipStatus
from shop.database import transaction
from shop.extensions import db


def test_producer_joins_and_manager_accepts(client, factory, login_as):
    manager = factory.user(email="manager@example.com")
    cooperative = factory.cooperative(manager=manager)
    producer = factory.producer()
    login_as(producer.user)

    response = client.post("/producer/cooperative", data={"cooperative_id": str(cooperative.id)})
    assert response.status_code == 303
    membership = db.session.scalar(select(MembershipRequest))
    assert membership.status is MembershipStatus.PENDING
    client.post("/logout")

    login_as(manager)
    # One cooperative: its manager's page is that cooperative's dashboard.
    assert producer.shop_name in client.get("/cooperative/manage", follow_redirects=True).text
    client.post(f"/cooperative/requests/{membership.id}/accept")

    db.session.expire_all()
    assert membership.status is MembershipStatus.ACCEPTED
    assert producer.cooperative_id == cooperative.id
    assert producer.shop_name in client.get(f"/cooperatives/{cooperative.slug}").text


def test_other_cooperatives_manager_cannot_decide(client, factory, login_as):
    manager = factory.user(email="manager@example.com")
    other_manager = factory.user(email="other@example.com")
    cooperative = factory.cooperative(manager=manager)
    factory.cooperative(name="تعاونی دیگر", manager=other_manager)
    producer = factory.producer()
    from shop.producers.services import request_membership

    with transaction():
        membership = request_membership(producer, cooperative.id)
    login_as(other_manager)

    response = client.post(f"/cooperative/requests/{membership.id}/accept")

    assert response.status_code == 404
    db.session.expire_all()
    assert membership.status is MembershipStatus.PENDING
    assert producer.cooperative_id is None


def test_manager_refuses_with_reason(client, factory, login_as):
    manager = factory.user(email="manager@example.com")
    cooperative = factory.cooperative(manager=manager)
    producer = factory.producer()
    from shop.producers.services import request_membership

    with transaction():
        membership = request_membership(producer, cooperative.id)
    login_as(manager)

    client.post(f"/cooperative/requests/{membership.id}/refuse", data={"reason": "ظرفیت تکمیل است"})

    db.session.expire_all()
    assert membership.status is MembershipStatus.REFUSED
    assert membership.reason == "ظرفیت تکمیل است"
    assert producer.cooperative_id is None


def test_buyer_cannot_open_manager_page(client, factory, login_as):
    login_as(factory.user())

    assert client.get("/cooperative/manage").status_code == 403
