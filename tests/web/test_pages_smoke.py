"""Every public and role page renders for the right person, in both languages."""

import pytest

from shop.accounts.models import Role


@pytest.fixture
def catalogue(factory):
    admin = factory.admin()
    manager = factory.user(email="manager@example.com")
    centre = factory.centre()
    cooperative = factory.cooperative(manager=manager)
    producer = factory.producer(centre=centre, cooperative=cooperative)
    product = factory.listing(producer, photos=2)
    return {
        "admin": admin,
        "manager": manager,
        "centre": centre,
        "cooperative": cooperative,
        "producer": producer,
        "product": product,
    }


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_public_pages_render(client, catalogue, lang):
    client.set_cookie("lang", lang)
    urls = [
        "/",
        "/categories/carpets-rugs",
        "/categories/kilim",
        f"/products/{catalogue['product'].id}",
        f"/shops/{catalogue['producer'].slug}",
        f"/cooperatives/{catalogue['cooperative'].slug}",
        f"/centres/{catalogue['centre'].slug}",
        "/login",
        "/register",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert f'<html lang="{lang}" dir="{"rtl" if lang == "fa" else "ltr"}">' in html


def test_role_pages_render(client, catalogue, login_as):
    login_as(catalogue["admin"])
    for url in [
        "/admin/",
        "/admin/producers",
        "/admin/listings",
        "/admin/centres",
        "/admin/cooperatives",
        "/account",
        "/account/password",
    ]:
        assert client.get(url).status_code == 200, url
    client.post("/logout")
    login_as(catalogue["producer"].user)
    product = catalogue["product"]
    for url in [
        "/producer/",
        "/producer/brand",
        "/producer/cooperative",
        "/producer/listings/new",
        f"/producer/listings/{product.id}/edit",
    ]:
        assert client.get(url).status_code == 200, url
    client.post("/logout")
    login_as(catalogue["manager"])
    assert client.get("/cooperative/manage", follow_redirects=True).status_code == 200
    assert catalogue["manager"].has_role(Role.COOPERATIVE_MANAGER)
