"""Form fields carry only ARIA that points somewhere; a rejected form asks for its files again;
messages after an action are not a broken list."""

from __future__ import annotations

import io
import re

import pytest

from tests.browser.site import EMAILS, build_site
from tests.conftest import login, make_jpeg
from tests.snapshots import cached_fixture
from tests.web.markup import parse

REFILL_ONE = "Choose the file again: files you chose before are not kept when a form is sent back."


@cached_fixture
def site(factory):
    return build_site(factory.app)


def form_pages(site) -> dict[str, list[str]]:
    rug = site.ids["rug"]
    return {
        "visitor": ["/login", "/register"],
        "buyer": ["/account/password", "/producer/apply"],
        "producer": [
            "/producer/brand",
            "/producer/cooperative",
            "/producer/listings/new",
            f"/producer/listings/{rug}/edit",
        ],
        "admin": ["/admin/centres", "/admin/cooperatives", "/admin/producers"],
    }


def assert_aria_points_somewhere(html: str, url: str) -> int:
    """No ARIA attribute says "None"; every aria-describedby names elements on the page.
    Returns how many fields are marked invalid."""
    assert 'aria-invalid="None"' not in html, url
    assert 'aria-describedby="None"' not in html, url
    root = parse(html)
    ids = {node.attrs.get("id") for node in root.iter()}
    for node in root.iter():
        for name in node.attrs.get("aria-describedby", "").split():
            assert name in ids, f"{url}: aria-describedby names #{name}, which is not on the page"
    invalid = [n for n in root.iter() if n.attrs.get("aria-invalid") is not None]
    assert all(n.attrs["aria-invalid"] == "true" for n in invalid), url
    assert all(n.attrs.get("aria-describedby") for n in invalid), url
    return len(invalid)


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_fields_render_no_aria_none_blank_or_with_errors(app, client, site, lang):
    client.set_cookie("lang", lang)
    for role, urls in form_pages(site).items():
        if role != "visitor":
            client.post("/logout")
            assert login(client, EMAILS[role]).status_code == 303
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert assert_aria_points_somewhere(response.text, url) == 0, url
            if url in ("/producer/cooperative", "/admin/producers"):
                continue
            rejected = client.post(url, data={})
            assert rejected.status_code == 400, url
            assert assert_aria_points_somewhere(rejected.text, url) > 0, f"{url} (rejected)"


def test_an_invalid_field_is_described_by_its_hint_and_its_error(client, site):
    client.set_cookie("lang", "en")
    html = client.post("/register", data={"password": "short", "confirm": "other"}).text
    password = parse(html).find("input", id="password")
    assert password.attrs["aria-invalid"] == "true"
    assert password.attrs["aria-describedby"].split() == ["password-hint", "password-error"]
    assert parse(html).find(id="password-hint").text == "At least 8 characters."
    email = parse(html).find("input", id="email")
    assert email.attrs["aria-describedby"] == "email-error"
    phone = parse(html).find("input", id="phone")
    assert "aria-invalid" not in phone.attrs and "aria-describedby" not in phone.attrs


def test_a_rejected_form_asks_for_its_files_again(client, site):
    client.set_cookie("lang", "en")
    assert login(client, EMAILS["buyer"]).status_code == 303
    page = client.get("/producer/apply").text
    assert REFILL_ONE not in page

    # When: the application is sent with a certificate but without a shop name.
    rejected = client.post(
        "/producer/apply",
        data={
            "shop_name": "",
            "city": "Mashhad",
            "certificate": (io.BytesIO(make_jpeg()), "certificate.jpg"),
        },
        content_type="multipart/form-data",
    )

    # Then: the page says to choose the certificate again, tied to its field.
    assert rejected.status_code == 400
    root = parse(rejected.text)
    again = root.find(id="certificate-again")
    assert again.text == REFILL_ONE
    assert "certificate-again" in root.find("input", id="certificate").attrs["aria-describedby"]
    assert root.find_all(class_="refill") == [again]  # only on file fields


def test_a_rejected_listing_asks_for_its_photos_again_in_persian(client, site):
    assert login(client, EMAILS["producer"]).status_code == 303
    rejected = client.post("/producer/listings/new", data={"title": ""})
    assert rejected.status_code == 400
    root = parse(rejected.text)
    again = root.find(id="photos-again")
    assert again.attrs["class"] == "hint refill"
    assert "photos-again" in root.find("input", id="photos").attrs["aria-describedby"].split()


def test_messages_after_an_action_are_a_status_region_of_paragraphs(client, site):
    client.set_cookie("lang", "en")
    response = client.post("/login", data={"email": EMAILS["buyer"], "password": "wrong"})
    assert response.status_code in (200, 400)
    signed_in = client.post(
        "/login", data={"email": EMAILS["buyer"], "password": "correct horse battery"}
    )
    html = client.get(signed_in.headers["Location"]).text
    region = parse(html).find(class_="flashes")
    assert region.tag == "div"
    assert region.attrs["role"] == "status"
    messages = [n for n in region.children if not isinstance(n, str)]
    assert [(m.tag, m.attrs["class"], m.text) for m in messages] == [
        ("p", "flash flash-success", "You are signed in.")
    ]
    assert not re.search(r"<li[^>]*class=\"flash", html)
