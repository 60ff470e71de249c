"""A cooperative's brand page editor: words, colours and pictures, with the same checks as a
producer's brand; only its managers (and admins) may, and a refusal changes nothing."""

from __future__ import annotations

import html
import io
import json
import re

import pytest
from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.cooperatives import services
from shop.cooperatives.models import Cooperative
from shop.database import transaction
from shop.errors import NotAllowed
from shop.extensions import db
from shop.media.models import Image
from shop.media.uploads import Upload
from tests.conftest import count, make_jpeg, upload_files


@pytest.fixture
def english(client):
    client.post("/language/en", data={"next": "/"})
    return client


@pytest.fixture
def people(factory):
    ours_manager, theirs_manager = factory.user(), factory.user()
    ours = factory.cooperative(name="تعاونی بانوان نقش", manager=ours_manager)
    factory.cooperative(name="تعاونی آنها", manager=theirs_manager)
    return {"ours": ours, "ours_manager": ours_manager, "theirs_manager": theirs_manager}


def brand_form(**changes) -> dict:
    values = {
        "tagline": "دست‌بافته‌های بانوان طلاب",
        "story": "ما از سال ۱۳۹۸ با هم کار می‌کنیم.",
        "color_primary": "#7A3E2B",
        "color_secondary": "#f4e1c1",
    }
    values.update(changes)
    return values


def brand_url(cooperative) -> str:
    return f"/cooperative/{cooperative.id}/brand"


def errors_under(page: str, field: str) -> list[str]:
    found = re.findall(rf'class="field-error" id="{field}-error(?:-[0-9]+)?">([^<]+)<', page)
    return [html.unescape(error) for error in found]


def cooperative_row(cooperative_id: int) -> dict:
    db.session.rollback()
    db.session.expire_all()
    cooperative = db.session.get(Cooperative, cooperative_id)
    return {
        column.key: getattr(cooperative, column.key) for column in Cooperative.__table__.columns
    }


def everything(cooperative_id: int, tmp_path) -> tuple:
    """What a refused update must leave as it was."""
    row = cooperative_row(cooperative_id)
    images = list(db.session.execute(select(Image.id, Image.key).order_by(Image.id)))
    return row, images, count(AuditEntry), upload_files(tmp_path)


def post_brand(client, cooperative, **files_and_fields):
    return client.post(
        brand_url(cooperative),
        data=brand_form(**files_and_fields),
        content_type="multipart/form-data",
    )


# --- a valid update ---------------------------------------------------------------------------


def test_the_manager_saves_words_colours_and_a_logo(client, login_as, people, tmp_path):
    ours, manager = people["ours"], people["ours_manager"]
    login_as(manager)

    # When: the brand is sent with a logo (and a name, which is not the managers' to change).
    response = post_brand(
        client, ours, logo=(io.BytesIO(make_jpeg(400, 400)), "logo.jpg"), name="نام تازه"
    )

    # Then
    assert response.status_code == 303
    assert response.headers["Location"] == brand_url(ours)
    row = cooperative_row(ours.id)
    assert {key: row[key] for key in ("name", "slug", "tagline", "story")} == {
        "name": "تعاونی بانوان نقش",
        "slug": "تعاونی-بانوان-نقش",
        "tagline": "دست‌بافته‌های بانوان طلاب",
        "story": "ما از سال ۱۳۹۸ با هم کار می‌کنیم.",
    }
    assert (row["color_primary"], row["color_secondary"]) == ("#7a3e2b", "#f4e1c1")
    logo = db.session.get(Image, row["logo_id"])
    assert (logo.owner_id, logo.original_name, row["banner_id"]) == (manager.id, "logo.jpg", None)
    assert upload_files(tmp_path) != []
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.actor_id, entry.action, entry.subject) == (
        manager.id,
        "cooperative.brand",
        f"cooperative:{ours.id}",
    )
    assert json.loads(entry.before) == {
        "color_secondary": "#e9c46a",
        "logo_id": None,
        "story": "",
        "tagline": "",
    }
    assert json.loads(entry.after) == {
        "color_secondary": "#f4e1c1",
        "logo_id": logo.id,
        "story": "ما از سال ۱۳۹۸ با هم کار می‌کنیم.",
        "tagline": "دست‌بافته‌های بانوان طلاب",
    }
    # The public page shows them.
    public = client.get(f"/cooperatives/{row['slug']}").text
    assert logo.key in public
    assert "دست‌بافته‌های بانوان طلاب" in public
    assert "--brand: #7a3e2b; --brand-2: #f4e1c1;" in public


def test_a_new_logo_replaces_the_old_one_whose_files_go(client, login_as, people, tmp_path):
    ours, manager = people["ours"], people["ours_manager"]
    with transaction():
        services.update_cooperative_brand(
            ours,
            manager,
            services.CooperativeBrand(
                tagline="",
                story="",
                color_primary="#7a3e2b",
                color_secondary="#f4e1c1",
                logo=Upload(make_jpeg(400, 400), "old.jpg"),
            ),
        )
    old = db.session.get(Image, cooperative_row(ours.id)["logo_id"])
    old_id, old_key = old.id, old.key
    login_as(manager)

    response = post_brand(client, ours, logo=(io.BytesIO(make_jpeg(500, 500)), "new.jpg"))

    assert response.status_code == 303
    row = cooperative_row(ours.id)
    assert row["logo_id"] != old_id
    assert [image.original_name for image in db.session.scalars(select(Image))] == ["new.jpg"]
    assert not any(old_key in path.name for path in upload_files(tmp_path))


def test_an_admin_may_edit_the_brand(client, factory, login_as, people):
    ours = people["ours"]
    admin = factory.admin()
    login_as(admin)

    assert client.get(brand_url(ours)).status_code == 200
    assert post_brand(client, ours, tagline="از طرف مدیر سایت").status_code == 303

    assert cooperative_row(ours.id)["tagline"] == "از طرف مدیر سایت"
    assert db.session.scalar(select(AuditEntry.actor_id)) == admin.id


def test_the_form_shows_what_is_saved(english, login_as, people):
    ours = people["ours"]
    login_as(people["ours_manager"])

    page = english.get(brand_url(ours)).text

    assert 'value="#7a3e2b"' in page and 'value="#e9c46a"' in page
    assert 'name="name"' not in page and 'name="shop_name"' not in page


# --- refused updates --------------------------------------------------------------------------


@pytest.mark.parametrize("colour", ["red", "#12345", "#gggggg", ""])
def test_a_colour_not_written_like_hex_is_refused(english, login_as, people, tmp_path, colour):
    ours = people["ours"]
    before = everything(ours.id, tmp_path)
    login_as(people["ours_manager"])

    response = post_brand(english, ours, color_primary=colour)

    assert response.status_code == 400
    assert errors_under(response.text, "color_primary") == ["Choose a colour written like #7a3e2b."]
    assert everything(ours.id, tmp_path) == before


def test_colours_that_cannot_be_read_on_each_other_are_refused(english, login_as, people, tmp_path):
    ours = people["ours"]
    before = everything(ours.id, tmp_path)
    login_as(people["ours_manager"])

    # White writing on a pale yellow, and the city line in white on it too.
    response = post_brand(english, ours, color_primary="#ffff99", color_secondary="#ffffff")

    assert response.status_code == 400
    assert errors_under(response.text, "color_primary") == [
        "The cooperative's name is written in white on the main colour, and they contrast only "
        "1.04:1 (at least 4.5:1 is needed). Choose a darker main colour."
    ]
    assert errors_under(response.text, "color_secondary") == [
        "The cooperative's city is written in the second colour on the main colour, and they "
        "contrast only 1.04:1 (at least 4.5:1 is needed). Choose a lighter second colour (or a "
        "darker main colour)."
    ]
    assert everything(ours.id, tmp_path) == before


def test_a_file_that_is_not_a_picture_is_refused_under_its_field(
    english, login_as, people, tmp_path
):
    ours = people["ours"]
    before = everything(ours.id, tmp_path)
    login_as(people["ours_manager"])

    response = post_brand(
        english, ours, banner=(io.BytesIO(b"%PDF-1.4 not a picture at all"), "banner.jpg")
    )

    assert response.status_code == 400
    assert errors_under(response.text, "banner") == [
        "This file is not a picture. Choose a JPEG, PNG, WebP or HEIC photo."
    ]
    assert everything(ours.id, tmp_path) == before


def test_a_story_too_long_is_refused(english, login_as, people, tmp_path):
    ours = people["ours"]
    before = everything(ours.id, tmp_path)
    login_as(people["ours_manager"])

    response = post_brand(
        english, ours, story="ب" * 4001, logo=(io.BytesIO(make_jpeg(400, 400)), "logo.jpg")
    )

    assert response.status_code == 400
    assert errors_under(response.text, "story") == ["At most 4000 characters."]
    assert everything(ours.id, tmp_path) == before


def test_another_cooperatives_manager_is_not_found(client, login_as, people, tmp_path):
    ours = people["ours"]
    before = everything(ours.id, tmp_path)
    login_as(people["theirs_manager"])

    looked = client.get(brand_url(ours))
    sent = post_brand(client, ours, logo=(io.BytesIO(make_jpeg(400, 400)), "logo.jpg"))

    assert (looked.status_code, sent.status_code) == (404, 404)
    assert "تعاونی بانوان نقش" not in looked.text + sent.text
    assert everything(ours.id, tmp_path) == before


def test_the_service_refuses_someone_who_is_not_its_manager(factory, people, tmp_path):
    ours = people["ours"]
    before = everything(ours.id, tmp_path)

    with pytest.raises(NotAllowed), transaction():
        services.update_cooperative_brand(
            db.session.get(Cooperative, ours.id),
            people["theirs_manager"],
            services.CooperativeBrand("", "", "#7a3e2b", "#f4e1c1"),
        )

    assert everything(ours.id, tmp_path) == before


def test_the_service_refuses_a_colour_the_form_would_have(people, tmp_path):
    ours = people["ours"]
    before = everything(ours.id, tmp_path)

    with pytest.raises(services.InvalidColour), transaction():
        services.update_cooperative_brand(
            db.session.get(Cooperative, ours.id),
            people["ours_manager"],
            services.CooperativeBrand("", "", "javascript:", "#f4e1c1"),
        )

    assert everything(ours.id, tmp_path) == before
