"""shop/cooperatives/services.py: centres, cooperatives, managers and membership decisions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shop.accounts.models import Role, UserRole
from shop.cooperatives import services
from shop.cooperatives.models import Cooperative, MembershipRequest, MembershipStatus
from shop.database import transaction
from shop.errors import IllegalTransition, NotAllowed
from shop.extensions import db
from shop.producers.models import Producer
from shop.producers.services import request_membership
from tests.conftest import assert_session_clean, count, reload


def request_state(request: MembershipRequest) -> tuple:
    request = reload(request)
    return (
        request.status,
        request.reason,
        request.decided_by_id,
        request.decided_at,
        request.producer.cooperative_id,
    )


@pytest.fixture
def manager(factory):
    return factory.user(email="manager@example.com")


@pytest.fixture
def cooperative(factory, manager):
    return factory.cooperative(manager=manager)


@pytest.fixture
def membership(factory, cooperative):
    """A pending request from an approved producer to join ``cooperative``."""
    producer = factory.producer()
    with transaction():
        return request_membership(producer, cooperative.id)


# --- centres and cooperatives -----------------------------------------------------------------


def test_create_centre_makes_a_persian_slug(ctx):
    with transaction():
        centre = services.create_centre(
            services.CentreData(name=" مرکز رویش طلاب ", city=" مشهد ", neighbourhood=" طلاب ")
        )

    centre = reload(centre)
    assert (centre.name, centre.slug, centre.city, centre.neighbourhood) == (
        "مرکز رویش طلاب",
        "مرکز-رویش-طلاب",
        "مشهد",
        "طلاب",
    )


def test_two_centres_with_one_name_get_distinct_slugs(ctx):
    with transaction():
        first = services.create_centre(services.CentreData(name="مرکز رویش", city="مشهد"))
    with transaction():
        second = services.create_centre(services.CentreData(name="مرکز رویش", city="تهران"))

    assert (first.slug, second.slug) == ("مرکز-رویش", "مرکز-رویش-2")


def test_create_cooperative_with_a_manager_grants_the_role(factory, manager):
    with transaction():
        cooperative = services.create_cooperative(
            services.CooperativeData(
                name=" تعاونی بانوان نقش ", city="مشهد", manager_email=" MANAGER@example.com "
            )
        )

    cooperative = reload(cooperative)
    assert cooperative.name == "تعاونی بانوان نقش"
    assert cooperative.slug == "تعاونی-بانوان-نقش"
    assert cooperative.commission_bp == 300
    assert cooperative.is_verified is False
    assert [user.id for user in cooperative.managers] == [manager.id]
    roles = db.session.scalars(select(UserRole.role).where(UserRole.user_id == manager.id))
    assert list(roles) == [Role.COOPERATIVE_MANAGER]
    assert services.is_manager(manager, cooperative)


def test_create_cooperative_without_a_manager(ctx):
    with transaction():
        cooperative = services.create_cooperative(
            services.CooperativeData(name="تعاونی", city="مشهد", commission_bp=500)
        )

    cooperative = reload(cooperative)
    assert cooperative.managers == []
    assert cooperative.commission_bp == 500


def test_a_second_cooperative_keeps_one_manager_role_row(factory, manager, cooperative):
    with transaction():
        services.create_cooperative(
            services.CooperativeData(name="تعاونی دوم", city="مشهد", manager_email=manager.email)
        )

    roles = db.session.scalars(select(UserRole.role).where(UserRole.user_id == manager.id))
    assert list(roles) == [Role.COOPERATIVE_MANAGER]


def test_an_unknown_manager_is_refused_and_nothing_is_created(ctx):
    with pytest.raises(services.UnknownManager) as refused, transaction():
        services.create_cooperative(
            services.CooperativeData(name="تعاونی", city="مشهد", manager_email="nobody@example.com")
        )

    assert refused.value.field == "manager_email"
    assert_session_clean()
    assert count(Cooperative) == 0


# --- membership decisions ---------------------------------------------------------------------


def test_a_user_who_is_not_a_manager_cannot_decide(factory, membership):
    before = request_state(membership)
    stranger = factory.user()

    with pytest.raises(NotAllowed), transaction():
        services.decide_membership(reload(membership), stranger, accept=True)

    assert_session_clean()
    assert request_state(membership) == before
    assert before == (MembershipStatus.PENDING, "", None, None, None)


def test_a_manager_of_another_cooperative_cannot_decide(factory, membership):
    other_manager = factory.user()
    factory.cooperative(name="تعاونی دیگر", manager=other_manager)
    before = request_state(membership)

    with pytest.raises(NotAllowed), transaction():
        services.decide_membership(reload(membership), other_manager, accept=True)

    assert request_state(membership) == before


def test_an_admin_who_is_not_its_manager_cannot_decide(factory, membership):
    before = request_state(membership)

    with pytest.raises(NotAllowed), transaction():
        services.decide_membership(reload(membership), factory.admin(), accept=True)

    assert request_state(membership) == before


def test_the_manager_accepts_and_the_producer_joins(manager, cooperative, membership):
    with transaction():
        services.decide_membership(membership, manager, accept=True, reason="  خوش آمدید  ")

    request = reload(membership)
    assert request.status is MembershipStatus.ACCEPTED
    assert request.reason == "خوش آمدید"
    assert request.decided_by_id == manager.id
    assert request.decided_at is not None
    assert request.producer.cooperative_id == cooperative.id
    assert [member.id for member in reload(cooperative).members] == [request.producer_id]


def test_the_manager_refuses_and_the_producer_stays_out(manager, membership):
    with transaction():
        services.decide_membership(membership, manager, accept=False, reason="ظرفیت تکمیل است")

    request = reload(membership)
    assert request.status is MembershipStatus.REFUSED
    assert request.reason == "ظرفیت تکمیل است"
    assert request.decided_by_id == manager.id
    assert db.session.get(Producer, request.producer_id).cooperative_id is None


@pytest.mark.parametrize(("first", "second"), [(True, False), (False, True), (True, True)])
def test_deciding_twice_is_illegal_and_keeps_the_first_decision(manager, membership, first, second):
    with transaction():
        services.decide_membership(membership, manager, accept=first, reason="اول")
    before = request_state(membership)

    with pytest.raises(IllegalTransition), transaction():
        services.decide_membership(reload(membership), manager, accept=second, reason="دوم")

    assert_session_clean()
    assert request_state(membership) == before
    assert before[1] == "اول"


def test_after_a_refusal_the_producer_may_ask_again(factory, manager, cooperative, membership):
    with transaction():
        services.decide_membership(membership, manager, accept=False)
    producer = reload(membership).producer

    with transaction():
        again = request_membership(producer, cooperative.id)

    assert again.id != membership.id
    assert reload(again).status is MembershipStatus.PENDING
    assert count(MembershipRequest) == 2
