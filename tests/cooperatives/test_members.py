"""Removing a member producer from a cooperative, and deciding on requests from its dashboard:
only its managers (and admins) may; a refusal changes nothing."""

from __future__ import annotations

import html
import json

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.cooperatives import services
from shop.cooperatives.models import MembershipRequest, MembershipStatus
from shop.database import transaction
from shop.errors import NotAllowed
from shop.extensions import db
from shop.ledger.queries import cooperative_earnings
from shop.mail.models import OutgoingMail
from shop.orders.models import OrderLine
from shop.producers.models import Producer
from shop.producers.services import request_membership
from shop.search.backend import SearchRequest
from shop.search.models import OutboxScope, SearchOutboxEntry
from shop.search.services import backend, drain_outbox
from tests.conftest import assert_session_clean, count, form_errors, reload
from tests.orders.test_place_order import place
from tests.payouts.conftest import sell_online


@pytest.fixture
def english(client):
    client.post("/language/en", data={"next": "/"})
    return client


@pytest.fixture
def people(factory):
    """Two cooperatives with a manager and a member each, and an admin."""
    ours_manager, theirs_manager = factory.user(), factory.user()
    ours = factory.cooperative(name="تعاونی ما", manager=ours_manager)
    theirs = factory.cooperative(name="تعاونی آنها", manager=theirs_manager)
    weaver = factory.producer(shop_name="کارگاه گلیم مریم", cooperative=ours)
    return {
        "ours": reload(ours),
        "theirs": reload(theirs),
        "ours_manager": reload(ours_manager),
        "theirs_manager": reload(theirs_manager),
        "weaver": reload(weaver),
        "their_member": factory.producer(shop_name="سفال یزد", cooperative=theirs),
        "admin": factory.admin(),
    }


def remove_url(cooperative, producer) -> str:
    return f"/cooperative/{cooperative.id}/members/{producer.id}/remove"


def state(producer) -> tuple:
    """What a removal changes: the producer's cooperative, the audit log, the mail sent."""
    db.session.rollback()
    db.session.expire_all()
    return (
        db.session.get(Producer, producer.id).cooperative_id,
        count(AuditEntry),
        count(OutgoingMail),
    )


def translated(message: str, **values) -> str:
    with force_locale("fa"):
        return gettext(message, **values)


# --- removing a member ------------------------------------------------------------------------


def test_the_manager_removes_a_member_who_is_told_why(client, login_as, people):
    ours, weaver, manager = people["ours"], people["weaver"], people["ours_manager"]
    login_as(manager)

    # When
    response = client.post(remove_url(ours, weaver), data={f"m{weaver.id}-reason": " دیر ارسال "})

    # Then: back to the dashboard, the weaver out, the change audited, the weaver e-mailed.
    assert response.status_code == 303
    assert response.headers["Location"] == f"/cooperative/{ours.id}/"
    assert reload(weaver).cooperative_id is None
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.actor_id, entry.action, entry.subject) == (
        manager.id,
        "cooperative.member_remove",
        f"cooperative:{ours.id}",
    )
    assert json.loads(entry.before) == {"producer_id": weaver.id}
    assert json.loads(entry.after) == {"reason": "دیر ارسال"}
    mail = db.session.scalar(select(OutgoingMail))
    assert mail.to_address == weaver.user.email
    assert mail.subject == translated("You are no longer a member of %(name)s", name="تعاونی ما")
    assert "دیر ارسال" in mail.body
    # The dashboard no longer lists them.
    page = client.get(f"/cooperative/{ours.id}/").text
    assert "کارگاه گلیم مریم" in page  # the flash says who left
    assert f'data-member="{weaver.id}"' not in page


def test_removal_without_a_reason_says_none(client, login_as, people):
    ours, weaver = people["ours"], people["weaver"]
    login_as(people["ours_manager"])

    assert client.post(remove_url(ours, weaver)).status_code == 303

    entry = db.session.scalar(select(AuditEntry))
    assert json.loads(entry.after) == {"reason": ""}
    mail = db.session.scalar(select(OutgoingMail))
    assert translated("The reason they gave:") not in mail.body


def test_removal_asks_the_search_index_to_look_at_the_shop_again(factory, people):
    weaver = people["weaver"]
    listing = factory.listing(weaver)

    with transaction():
        services.remove_member(people["ours"], weaver, people["ours_manager"], "")

    entries = db.session.execute(select(SearchOutboxEntry.scope, SearchOutboxEntry.target_id))
    assert list(entries) == [(OutboxScope.PRODUCER, weaver.id)]
    assert drain_outbox() == 1
    assert backend().search(SearchRequest(cooperative=people["ours"].slug)).ids == []
    assert backend().search(SearchRequest()).ids == [listing.id]


def test_orders_placed_before_the_removal_keep_the_cooperatives_commission(
    factory, people, gateway
):
    # Given: the weaver sold as a member (the cooperative's 3% of 2,000,000 rials).
    ours, weaver = people["ours"], people["weaver"]
    order = sell_online(factory, weaver, price=2_000_000)
    line_before = db.session.execute(
        select(OrderLine.id, OrderLine.cooperative_id, OrderLine.commission_bp)
    ).one()
    assert tuple(line_before)[1:] == (ours.id, 300)
    earned_before = cooperative_earnings(ours.id).balance
    assert earned_before.balance == 60_000

    # When
    with transaction():
        services.remove_member(reload(ours), reload(weaver), people["ours_manager"])

    # Then: the order line and the cooperative's commission on it are as they were …
    db.session.expire_all()
    assert (
        db.session.execute(
            select(OrderLine.id, OrderLine.cooperative_id, OrderLine.commission_bp)
        ).one()
        == line_before
    )
    assert cooperative_earnings(ours.id).balance == earned_before
    assert reload(order).parcels[0].lines[0].cooperative_id == ours.id
    # … and the weaver's next order carries no cooperative and no commission.
    listing = factory.listing(weaver, title="گلیم تازه")
    later = place(factory.user(), {listing.id: 1}, key="after-removal")
    line = reload(later).parcels[0].lines[0]
    assert (line.cooperative_id, line.commission_bp) == (None, 0)


def test_a_removed_producer_may_ask_to_join_again(factory, people):
    ours, weaver, manager = people["ours"], people["weaver"], people["ours_manager"]
    with transaction():
        services.remove_member(ours, weaver, manager, "")

    with transaction():
        again = request_membership(reload(weaver), ours.id)
    with transaction():
        services.decide_membership(reload(again), reload(manager), accept=True)

    assert reload(again).status is MembershipStatus.ACCEPTED
    assert reload(weaver).cooperative_id == ours.id


def test_an_admin_may_remove_a_member_and_is_named_in_the_audit_log(client, login_as, people):
    ours, weaver, admin = people["ours"], people["weaver"], people["admin"]
    login_as(admin)

    assert client.post(remove_url(ours, weaver)).status_code == 303

    assert reload(weaver).cooperative_id is None
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.actor_id, entry.action) == (admin.id, "cooperative.member_remove")


# --- refused removals -------------------------------------------------------------------------


def test_a_producer_of_another_cooperative_is_not_found(client, login_as, people):
    their_member = people["their_member"]
    before = state(their_member)
    login_as(people["ours_manager"])

    response = client.post(remove_url(people["ours"], their_member))

    assert response.status_code == 404
    assert state(their_member) == before
    assert before == (people["theirs"].id, 0, 0)


def test_a_producer_who_is_no_member_is_not_found(client, factory, login_as, people):
    outsider = factory.producer(shop_name="بی‌تعاونی")
    login_as(people["ours_manager"])

    assert client.post(remove_url(people["ours"], outsider)).status_code == 404
    assert client.post(f"/cooperative/{people['ours'].id}/members/999999/remove").status_code == 404

    assert state(outsider) == (None, 0, 0)


def test_another_cooperatives_manager_cannot_remove_our_member(client, login_as, people):
    weaver = people["weaver"]
    before = state(weaver)
    login_as(people["theirs_manager"])

    response = client.post(remove_url(people["ours"], weaver))

    assert response.status_code == 404
    assert "تعاونی ما" not in response.text and "کارگاه گلیم مریم" not in response.text
    assert state(weaver) == before
    assert before == (people["ours"].id, 0, 0)


@pytest.mark.parametrize("who", [None, "their_member", "weaver"])
def test_no_one_else_may_remove_a_member(client, login_as, people, who):
    weaver = people["weaver"]
    before = state(weaver)
    if who is not None:
        login_as(people[who].user)

    response = client.post(remove_url(people["ours"], weaver))

    assert response.status_code == (302 if who is None else 404)
    assert state(weaver) == before


def test_a_reason_too_long_is_refused_under_the_field(english, login_as, people):
    ours, weaver = people["ours"], people["weaver"]
    before = state(weaver)
    login_as(people["ours_manager"])

    response = english.post(remove_url(ours, weaver), data={f"m{weaver.id}-reason": "ب" * 501})

    assert response.status_code == 400
    assert [html.unescape(e) for e in form_errors(response.text)] == ["At most 500 characters."]
    assert '<details class="remove-member" open>' in response.text
    assert state(weaver) == before


def test_the_service_refuses_a_non_member_and_changes_nothing(factory, people):
    outsider = factory.producer()

    with pytest.raises(services.NotAMember), transaction():
        services.remove_member(people["ours"], outsider, people["ours_manager"], "")

    assert_session_clean()
    assert state(outsider) == (None, 0, 0)


def test_the_service_refuses_another_cooperatives_manager(people):
    weaver = people["weaver"]

    with pytest.raises(NotAllowed), transaction():
        services.remove_member(people["ours"], weaver, people["theirs_manager"], "")

    assert state(weaver) == (people["ours"].id, 0, 0)


def test_a_member_removed_meanwhile_is_a_conflict_not_an_error(people):
    # Given: a second manager removed the weaver a moment ago.
    ours, weaver, manager = people["ours"], people["weaver"], people["ours_manager"]
    with transaction():
        services.remove_member(ours, weaver, manager, "")
    before = state(weaver)

    with pytest.raises(services.NotAMember), transaction():
        services.remove_member(reload(ours), reload(weaver), reload(manager), "")

    assert state(weaver) == before


# --- requests to join, decided from the dashboard ---------------------------------------------


@pytest.fixture
def membership(factory, people):
    asking = factory.producer(shop_name="چرم‌دوزی نرگس")
    with transaction():
        request = request_membership(asking, people["ours"].id)
    return reload(request)


@pytest.mark.parametrize("decision", ["accept", "refuse"])
def test_deciding_a_request_goes_back_to_the_dashboard(
    client, login_as, people, membership, decision
):
    login_as(people["ours_manager"])

    response = client.post(f"/cooperative/requests/{membership.id}/{decision}")

    assert response.status_code == 303
    assert response.headers["Location"] == f"/cooperative/{people['ours'].id}/"
    request = db.session.get(MembershipRequest, membership.id)
    db.session.refresh(request)
    assert request.status is (
        MembershipStatus.ACCEPTED if decision == "accept" else MembershipStatus.REFUSED
    )


def test_accepting_shows_the_new_member_on_the_dashboard(client, login_as, people, membership):
    login_as(people["ours_manager"])

    page = client.post(f"/cooperative/requests/{membership.id}/accept", follow_redirects=True).text

    assert f'data-member="{membership.producer_id}"' in page
    assert f'data-request="{membership.id}"' not in page


def test_a_request_decided_twice_comes_back_to_the_dashboard_with_a_warning(
    client, login_as, people, membership
):
    login_as(people["ours_manager"])
    client.post(f"/cooperative/requests/{membership.id}/refuse")

    response = client.post(f"/cooperative/requests/{membership.id}/accept")

    assert response.headers["Location"] == f"/cooperative/{people['ours'].id}/"
    assert reload(membership).status is MembershipStatus.REFUSED
