"""The JSON API: shapes, pagination limits and errors."""

import pytest

from shop.database import transaction
from shop.producers.services import reject_producer
from shop.search.services import drain_outbox


@pytest.fixture
def products(factory):
    manager = factory.user(email="m@example.com")
    cooperative = factory.cooperative(manager=manager)
    centre = factory.centre()
    producer = factory.producer(shop_name="چرم مریم", centre=centre, cooperative=cooperative)
    items = [
        factory.listing(
            producer, title=f"کیف چرمی {n}", price=1_000_000 * (n + 1), category="leather"
        )
        for n in range(3)
    ]
    items.append(
        factory.listing(
            producer,
            title="گلیم",
            category="kilim",
            made_to_order=True,
            stock=0,
            lead_time=14,
            price=25_000_000,
        )
    )
    factory.listing(producer, title="در انتظار", active=False)
    return items


def test_healthz(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_categories_tree(client, ctx):
    data = client.get("/api/v1/categories").get_json()

    slugs = [c["slug"] for c in data["items"]]
    assert slugs == [
        "carpets-rugs",
        "leather",
        "fret-weaving",
        "resin-crafts",
        "garments",
        "other-handicrafts",
    ]
    carpets = data["items"][0]
    assert [c["slug"] for c in carpets["children"]] == ["hand-woven-carpet", "tableau-rug", "kilim"]
    assert carpets["name_fa"] == "فرش و زیرانداز" and carpets["name_en"] == "Carpets & rugs"


def test_product_list_shape(client, products):
    data = client.get("/api/v1/products?per_page=2&sort=price_desc").get_json()

    assert data["total"] == 4  # the pending listing is not shown
    assert data["page"] == 1 and data["per_page"] == 2
    first = data["items"][0]
    assert first["title"] == "گلیم"
    assert first["price"] == {"amount": 25_000_000, "currency": "IRR", "display": "۲٬۵۰۰٬۰۰۰ تومان"}
    assert (
        first["made_to_order"] is True
        and first["lead_time_days"] == 14
        and first["in_stock"] is True
    )
    assert first["category"] == {"slug": "kilim", "name": "گلیم"}
    assert first["producer"]["name"] == "چرم مریم"
    assert first["cooperative"]["name"] == "تعاونی بانوان نقش"
    assert first["images"][0].startswith("http://localhost/media/") and first["images"][0].endswith(
        ".webp"
    )
    assert first["url"] == f"http://localhost/products/{first['id']}"


def test_product_list_in_english(client, products):
    client.set_cookie("lang", "en")

    item = client.get("/api/v1/products?category=kilim").get_json()["items"][0]

    assert item["price"]["display"] == "2,500,000 toman"
    assert item["category"]["name"] == "Kilim"


def test_category_filter_includes_children(client, products):
    assert client.get("/api/v1/products?category=carpets-rugs").get_json()["total"] == 1
    assert client.get("/api/v1/products?category=leather").get_json()["total"] == 3


def test_product_detail(client, products):
    item = client.get(f"/api/v1/products/{products[0].id}").get_json()

    assert item["id"] == products[0].id
    assert item["price"]["amount"] == 1_000_000
    assert item["description"] == "توضیح"
    assert item["stock_quantity"] == 3


@pytest.mark.parametrize(
    "query",
    [
        "per_page=51",
        "per_page=0",
        "per_page=-1",
        "page=0",
        "page=abc",
        "sort=cheapest",
        "category=no-such-category",
        "per_page=1e3",
    ],
)
def test_bad_parameters_get_a_json_400(client, products, query):
    response = client.get(f"/api/v1/products?{query}")

    assert response.status_code == 400
    body = response.get_json()
    assert body["error"]["status"] == 400 and body["error"]["message"]


def test_unknown_product_and_route_get_json_404(client, products):
    assert client.get("/api/v1/products/99999").get_json()["error"]["status"] == 404
    assert client.get("/api/v1/nothing").status_code == 404
    assert client.get("/api/v1/nothing").get_json()["error"]["status"] == 404


def test_products_of_rejected_producers_disappear(client, products, factory):
    producer = products[0].producer
    from shop.producers.models import ProducerStatus

    producer.status = ProducerStatus.APPLIED  # back in review, then rejected
    with transaction():
        reject_producer(producer, "test")
    drain_outbox()

    assert client.get("/api/v1/products").get_json()["total"] == 0
    assert client.get(f"/api/v1/products/{products[0].id}").status_code == 404
