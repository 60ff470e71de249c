"""shop/producers/services.py: applying, approval, rejection and the shop's brand."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shop.accounts.models import Role, UserRole
from shop.cooperatives.models import MembershipRequest, MembershipStatus
from shop.database import transaction
from shop.errors import IllegalTransition, NotAllowed
from shop.extensions import db
from shop.media.images import ImageRejected
from shop.media.models import Image
from shop.media.uploads import Upload
from shop.producers import services
from shop.producers.models import Producer, ProducerStatus
from tests.conftest import assert_session_clean, count, make_jpeg, reload, upload_files


def roles_of(producer: Producer) -> list[Role]:
    return list(
        db.session.scalars(select(UserRole.role).where(UserRole.user_id == producer.user_id))
    )


def application(shop_name="  کارگاه گلیم مریم  ", **changes) -> services.Application:
    values = {
        "shop_name": shop_name,
        "city": " مشهد ",
        "neighbourhood": " طلاب ",
        "centre_id": None,
        "cooperative_id": None,
    }
    values.update(changes)
    return services.Application(**values)


def brand(**changes) -> services.Brand:
    values = {
        "shop_name": "کارگاه گلیم مریم",
        "tagline": "  گلیم‌های رنگ گیاهی  ",
        "story": "  از سال ۱۳۹۵  ",
        "color_primary": "#7A3E2B",
        "color_secondary": "#F4E1C1",
    }
    values.update(changes)
    return services.Brand(**values)


def snapshot(producer: Producer) -> dict:
    producer = reload(producer)
    return {column.key: getattr(producer, column.key) for column in Producer.__table__.columns}


# --- applying ---------------------------------------------------------------------------------


def test_apply_creates_an_applied_producer_without_the_role(factory):
    user = factory.user()
    centre = factory.centre()

    with transaction():
        producer = services.apply_as_producer(user, application(centre_id=centre.id))

    producer = reload(producer)
    assert producer.status is ProducerStatus.APPLIED
    assert producer.user_id == user.id
    assert producer.shop_name == "کارگاه گلیم مریم"
    assert producer.slug == "کارگاه-گلیم-مریم"
    assert (producer.city, producer.neighbourhood) == ("مشهد", "طلاب")
    assert producer.centre_id == centre.id
    assert producer.cooperative_id is None
    assert producer.approved_at is None
    assert not producer.is_approved
    assert roles_of(producer) == []


def test_the_same_shop_name_gets_a_numbered_slug(factory):
    with transaction():
        first = services.apply_as_producer(factory.user(), application())
    with transaction():
        second = services.apply_as_producer(factory.user(), application())
    with transaction():
        third = services.apply_as_producer(factory.user(), application())

    assert [first.slug, second.slug, third.slug] == [
        "کارگاه-گلیم-مریم",
        "کارگاه-گلیم-مریم-2",
        "کارگاه-گلیم-مریم-3",
    ]


def test_applying_twice_is_refused_and_changes_nothing(factory):
    user = factory.user()
    with transaction():
        producer = services.apply_as_producer(user, application())
    before = snapshot(producer)

    with pytest.raises(services.AlreadyApplied), transaction():
        services.apply_as_producer(user, application(shop_name="نام دیگر"))

    assert_session_clean()
    assert snapshot(producer) == before
    assert count(Producer) == 1


def test_an_approved_producer_cannot_apply_again(factory):
    producer = factory.producer()
    before = snapshot(producer)

    with pytest.raises(services.AlreadyApplied), transaction():
        services.apply_as_producer(producer.user, application(shop_name="نام دیگر"))

    assert snapshot(producer) == before


def test_an_unknown_centre_is_refused(factory):
    user = factory.user()

    with pytest.raises(services.UnknownCentre) as refused, transaction():
        services.apply_as_producer(user, application(centre_id=999))

    assert refused.value.field == "centre_id"
    assert_session_clean()
    assert count(Producer) == 0


def test_an_unknown_cooperative_is_refused(factory):
    user = factory.user()

    with pytest.raises(services.UnknownCooperative), transaction():
        services.apply_as_producer(user, application(cooperative_id=999))

    assert_session_clean()
    assert count(Producer) == 0
    assert count(MembershipRequest) == 0


def test_applying_with_a_cooperative_opens_a_membership_request(factory):
    cooperative = factory.cooperative()

    with transaction():
        producer = services.apply_as_producer(
            factory.user(), application(cooperative_id=cooperative.id)
        )

    request = db.session.scalars(select(MembershipRequest)).one()
    assert (request.producer_id, request.cooperative_id) == (producer.id, cooperative.id)
    assert request.status is MembershipStatus.PENDING
    # Membership waits for the cooperative's manager.
    assert reload(producer).cooperative_id is None


def test_a_certificate_is_stored_unverified(factory, tmp_path):
    user = factory.user()
    certificate = Upload(make_jpeg(), "گواهی مهارت.jpg")

    with transaction():
        producer = services.apply_as_producer(user, application(certificate=certificate))

    producer = reload(producer)
    assert producer.certificate.original_name == "گواهی مهارت.jpg"
    assert producer.certificate.owner_id == user.id
    assert producer.is_certificate_verified is False
    assert len(upload_files(tmp_path)) == 2


def test_a_bad_certificate_leaves_no_producer_and_no_file(factory, tmp_path):
    user = factory.user()

    with pytest.raises(ImageRejected) as refused, transaction():
        services.apply_as_producer(
            user, application(certificate=Upload(b"%PDF-1.4 not a photo", "cert.pdf"))
        )

    assert refused.value.code == "not_an_image"
    assert_session_clean()
    assert count(Producer) == 0
    assert count(Image) == 0
    assert upload_files(tmp_path) == []


# --- approval and rejection -------------------------------------------------------------------


def test_approve_grants_the_producer_role(factory):
    producer = factory.producer(approved=False)

    with transaction():
        services.approve_producer(producer)

    producer = reload(producer)
    assert producer.status is ProducerStatus.APPROVED
    assert producer.is_approved
    assert producer.approved_at is not None
    assert producer.rejection_reason == ""
    assert roles_of(producer) == [Role.PRODUCER]
    assert producer.user.has_role(Role.PRODUCER)


def test_approve_can_mark_the_certificate_verified(factory):
    with transaction():
        producer = services.apply_as_producer(
            factory.user(), application(certificate=Upload(make_jpeg(), "c.jpg"))
        )

    with transaction():
        services.approve_producer(producer, certificate_verified=True)

    assert reload(producer).is_certificate_verified is True


def test_certificate_verified_without_a_certificate_stays_false(factory):
    producer = factory.producer(approved=False)

    with transaction():
        services.approve_producer(producer, certificate_verified=True)

    assert reload(producer).is_certificate_verified is False


def test_approving_twice_is_illegal_and_changes_nothing(factory):
    producer = factory.producer()
    before = snapshot(producer)

    with pytest.raises(IllegalTransition), transaction():
        services.approve_producer(producer)

    assert_session_clean()
    assert snapshot(producer) == before
    assert roles_of(producer) == [Role.PRODUCER]


def test_reject_records_the_reason_and_grants_nothing(factory):
    producer = factory.producer(approved=False)

    with transaction():
        services.reject_producer(producer, "  عکس گواهی ناخواناست  ")

    producer = reload(producer)
    assert producer.status is ProducerStatus.REJECTED
    assert producer.rejection_reason == "عکس گواهی ناخواناست"
    assert roles_of(producer) == []


def test_an_approved_producer_cannot_be_rejected(factory):
    producer = factory.producer()
    before = snapshot(producer)

    with pytest.raises(IllegalTransition), transaction():
        services.reject_producer(producer, "دیر")

    assert_session_clean()
    assert snapshot(producer) == before
    assert roles_of(producer) == [Role.PRODUCER]


def test_reapplying_after_rejection_reuses_the_row(factory):
    # Given a rejected application
    user = factory.user()
    with transaction():
        producer = services.apply_as_producer(user, application())
    with transaction():
        services.reject_producer(producer, "نام نامناسب")

    # When the same user applies again under another name
    with transaction():
        again = services.apply_as_producer(user, application(shop_name="سوزن‌دوزی بلوچ"))

    # Then the same producer is back in the queue, the old reason gone
    assert again.id == producer.id
    again = reload(again)
    assert again.status is ProducerStatus.APPLIED
    assert again.rejection_reason == ""
    assert again.shop_name == "سوزن‌دوزی بلوچ"
    assert again.slug == "سوزن-دوزی-بلوچ"
    assert count(Producer) == 1
    with transaction():
        services.approve_producer(again)
    assert roles_of(again) == [Role.PRODUCER]


def test_reapplying_under_the_same_name_keeps_the_slug(factory):
    user = factory.user()
    with transaction():
        producer = services.apply_as_producer(user, application())
    with transaction():
        services.reject_producer(producer, "گواهی لازم است")

    with transaction():
        again = services.apply_as_producer(user, application())

    assert reload(again).slug == "کارگاه-گلیم-مریم"


def test_reapplying_while_a_membership_request_is_open_changes_nothing(factory, tmp_path):
    # Given a rejected applicant whose request to join a cooperative is still open
    cooperative = factory.cooperative()
    user = factory.user()
    with transaction():
        producer = services.apply_as_producer(user, application(cooperative_id=cooperative.id))
    with transaction():
        services.reject_producer(producer, "گواهی لازم است")
    before = snapshot(producer)

    # When they apply again, with a certificate, naming the cooperative again
    with pytest.raises(services.MembershipPending), transaction():
        services.apply_as_producer(
            user,
            application(
                shop_name="نام تازه",
                cooperative_id=cooperative.id,
                certificate=Upload(make_jpeg(), "c.jpg"),
            ),
        )

    # Then nothing is left half-done: no changed producer, no certificate file
    assert upload_files(tmp_path) == []
    assert_session_clean()
    assert snapshot(producer) == before


# --- brand ------------------------------------------------------------------------------------


def test_update_brand_sets_words_and_colours(factory):
    producer = factory.producer()

    with transaction():
        services.update_brand(producer, brand(shop_name="  گلیم مریم  "))

    producer = reload(producer)
    assert producer.shop_name == "گلیم مریم"
    assert producer.tagline == "گلیم‌های رنگ گیاهی"
    assert producer.story == "از سال ۱۳۹۵"
    assert (producer.color_primary, producer.color_secondary) == ("#7a3e2b", "#f4e1c1")
    assert producer.logo is None and producer.banner is None


def test_update_brand_replaces_the_logo_and_deletes_the_old_files(factory, tmp_path):
    # Given a producer with a logo
    producer = factory.producer()
    with transaction():
        services.update_brand(producer, brand(logo=Upload(make_jpeg(400, 400), "old-logo.png")))
    old_logo = reload(producer).logo
    old_key, old_id = old_logo.key, old_logo.id
    assert {p.name.split("-")[0] for p in upload_files(tmp_path)} == {old_key}

    # When a new logo is uploaded
    with transaction():
        services.update_brand(producer, brand(logo=Upload(make_jpeg(300, 300), "new-logo.png")))

    # Then the producer shows the new one and the old row and files are gone
    producer = reload(producer)
    assert producer.logo.original_name == "new-logo.png"
    assert producer.logo.key != old_key
    assert db.session.get(Image, old_id) is None
    assert count(Image) == 1
    assert [p.name for p in upload_files(tmp_path)] == [f"{producer.logo.key}-300.webp"]


def test_update_brand_without_a_new_logo_keeps_the_old_one(factory, tmp_path):
    producer = factory.producer()
    with transaction():
        services.update_brand(producer, brand(logo=Upload(make_jpeg(400, 400), "logo.png")))
    files = upload_files(tmp_path)
    logo_id = reload(producer).logo_id

    with transaction():
        services.update_brand(producer, brand(tagline="تازه"))

    assert reload(producer).logo_id == logo_id
    assert upload_files(tmp_path) == files


def test_update_brand_with_a_bad_banner_changes_nothing(factory, tmp_path):
    # Given a producer with a logo
    producer = factory.producer()
    with transaction():
        services.update_brand(producer, brand(logo=Upload(make_jpeg(400, 400), "logo.png")))
    before = snapshot(producer)
    files = upload_files(tmp_path)

    # When a new good logo comes with a banner that is not a picture
    with pytest.raises(ImageRejected), transaction():
        services.update_brand(
            producer,
            brand(
                tagline="دیگر",
                logo=Upload(make_jpeg(300, 300), "new-logo.png"),
                banner=Upload(b"GIF89a-ish nonsense", "banner.gif"),
            ),
        )

    # Then the old logo, its files and every field are as they were; the new logo left nothing
    assert_session_clean()
    assert snapshot(producer) == before
    assert upload_files(tmp_path) == files
    assert count(Image) == 1


def test_an_applicant_cannot_set_a_brand(factory, tmp_path):
    producer = factory.producer(approved=False)
    before = snapshot(producer)

    with pytest.raises(NotAllowed), transaction():
        services.update_brand(producer, brand(logo=Upload(make_jpeg(), "logo.png")))

    assert snapshot(producer) == before
    assert upload_files(tmp_path) == []


# --- membership requests ----------------------------------------------------------------------


def test_only_one_membership_request_may_be_open(factory):
    producer = factory.producer()
    first, second = factory.cooperative(name="الف"), factory.cooperative(name="ب")
    with transaction():
        services.request_membership(producer, first.id)

    with pytest.raises(services.MembershipPending), transaction():
        services.request_membership(producer, second.id)

    assert_session_clean()
    assert count(MembershipRequest) == 1


def test_a_request_to_an_unknown_cooperative_is_refused(factory):
    producer = factory.producer()

    with pytest.raises(services.UnknownCooperative), transaction():
        services.request_membership(producer, 999)

    assert count(MembershipRequest) == 0
