"""Variants: a listing with up to two kinds of option (size, colour) and a variant per
combination, each with its own stock and optional price; a listing without options has one.
The listing's stock is always the sum of its offered variants'."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shop.cart.models import CartLine
from shop.database import transaction
from shop.errors import NotFound
from shop.extensions import db
from shop.listings import services as listings
from shop.listings.models import Product, ProductVariant
from shop.listings.variants import (
    BadOptions,
    BadVariantTerms,
    OptionKind,
    TooManyOptionKinds,
    VariantTerms,
    parse_values,
)
from shop.orders.models import OrderLine
from tests.conftest import assert_session_clean, by_variant, count, form_errors, reload
from tests.orders.test_place_order import checkout

SIZE = OptionKind("اندازه", ("S", "M", "L"))
COLOUR = OptionKind("رنگ", ("قرمز", "آبی"))


@pytest.fixture
def maker(factory):
    return factory.producer(shop_name="دوخت مهتاب")


@pytest.fixture
def shawl(factory, maker):
    return factory.listing(maker, title="شال سوزن‌دوزی", price=900_000, stock=4)


def with_options(maker, product, *kinds, stock=None, prices=None):
    """Give ``product`` these option kinds, then ``stock`` and ``prices`` per label."""
    with transaction():
        listings.set_listing_options(maker, product, list(kinds))
        if stock or prices:
            terms = {
                v.id: VariantTerms((stock or {}).get(v.label, 0), (prices or {}).get(v.label))
                for v in product.offered_variants
            }
            listings.update_listing_variants(maker, product, terms)
    return reload(product)


def offered(product) -> dict[str, tuple[int, int | None]]:
    return {v.label: (v.stock_quantity, v.price) for v in reload(product).offered_variants}


def test_values_are_split_on_latin_and_persian_commas_and_new_lines():
    assert parse_values(" S, M،L \n XL ,, ") == ("S", "M", "L", "XL")


def test_a_new_listing_has_one_implicit_variant_holding_its_stock(shawl):
    shawl = reload(shawl)
    assert not shawl.has_options
    [variant] = shawl.variants
    assert (variant.label, variant.stock_quantity, variant.unit_price) == ("", 4, 900_000)
    assert shawl.default_variant is variant


def test_two_kinds_make_a_variant_per_combination_and_the_first_keeps_the_stock(maker, shawl):
    shawl = with_options(maker, shawl, SIZE, COLOUR)

    assert shawl.option_names == ["اندازه", "رنگ"]
    assert list(offered(shawl)) == [
        "S · قرمز",
        "S · آبی",
        "M · قرمز",
        "M · آبی",
        "L · قرمز",
        "L · آبی",
    ]
    assert offered(shawl)["S · قرمز"] == (4, None)  # the stock it had is not lost
    assert reload(shawl).stock_quantity == 4
    assert reload(shawl).default_variant is None  # the buyer must choose


def test_stock_and_own_prices_per_variant_make_the_listings_stock_and_price_range(maker, shawl):
    shawl = with_options(
        maker, shawl, SIZE, stock={"S": 2, "M": 0, "L": 5}, prices={"L": 1_100_000}
    )

    assert offered(shawl) == {"S": (2, None), "M": (0, None), "L": (5, 1_100_000)}
    assert shawl.stock_quantity == 7
    assert shawl.price_range == (900_000, 1_100_000)
    assert [v.available for v in shawl.offered_variants] == [2, 0, 5]


def test_a_combination_taken_out_is_retired_and_one_put_back_is_offered_again(maker, shawl):
    shawl = with_options(maker, shawl, SIZE, stock={"S": 2, "M": 3, "L": 5})
    medium = next(v.id for v in shawl.variants if v.option1 == "M")

    shawl = with_options(maker, shawl, OptionKind("اندازه", ("S", "L")))
    assert offered(shawl) == {"S": (2, None), "L": (5, None)}
    assert shawl.stock_quantity == 7
    retired = db.session.get(ProductVariant, medium)
    assert not retired.is_active and retired.stock_quantity == 0  # kept for carts and orders

    shawl = with_options(maker, shawl, SIZE)
    assert offered(shawl) == {"S": (2, None), "M": (0, None), "L": (5, None)}
    assert db.session.get(ProductVariant, medium).is_active  # the same row, offered again


def test_taking_every_option_out_leaves_one_implicit_variant(maker, shawl):
    shawl = with_options(maker, shawl, SIZE, stock={"S": 2})
    shawl = with_options(maker, shawl)
    assert not shawl.has_options
    assert [v.label for v in shawl.offered_variants] == [""]
    with transaction():
        listings.update_listing(maker, shawl, listings.ListingData.of(shawl, stock_quantity=6))
    assert reload(shawl).stock_quantity == 6 == reload(shawl).default_variant.stock_quantity


@pytest.mark.parametrize(
    ("kinds", "error"),
    [
        ([SIZE, COLOUR, OptionKind("جنس", ("پشم",))], TooManyOptionKinds),
        ([OptionKind("اندازه", ("S", "s"))], BadOptions),  # the same value twice
        ([OptionKind("", ("S",))], BadOptions),  # values without a name
        ([OptionKind("اندازه", ())], BadOptions),  # a name without values
        ([OptionKind("اندازه", tuple(str(n) for n in range(13)))], BadOptions),
        ([OptionKind("اندازه", ("x" * 41,))], BadOptions),
        ([SIZE, OptionKind("اندازه", ("1",))], BadOptions),  # one kind twice
    ],
)
def test_bad_options_are_refused_and_change_nothing(maker, shawl, kinds, error):
    with pytest.raises(error), transaction():
        listings.set_listing_options(maker, shawl, kinds)
    assert_session_clean()
    shawl = reload(shawl)
    assert not shawl.has_options and offered(shawl) == {"": (4, None)}


@pytest.mark.parametrize("terms", [VariantTerms(-1), VariantTerms(100_001), VariantTerms(1, 0)])
def test_bad_variant_figures_are_refused_and_change_nothing(maker, shawl, terms):
    shawl = with_options(maker, shawl, SIZE, stock={"S": 2})
    small = shawl.offered_variants[0].id
    with pytest.raises(BadVariantTerms), transaction():
        listings.update_listing_variants(maker, shawl, {small: terms})
    assert offered(shawl)["S"] == (2, None)


def test_another_listings_variant_or_another_producers_listing_is_refused(factory, maker, shawl):
    other = factory.listing(maker, title="کیف چرم", stock=1)
    foreign = reload(other).variants[0].id
    with pytest.raises(NotFound), transaction():
        listings.update_listing_variants(maker, shawl, {foreign: VariantTerms(50)})
    stranger = factory.producer()
    with pytest.raises(Exception) as refused, transaction():
        listings.set_listing_options(stranger, reload(shawl), [SIZE])
    assert type(refused.value).__name__ == "NotAllowed"
    assert reload(other).stock_quantity == 1 and not reload(shawl).has_options


def test_a_made_to_order_listing_counts_no_stock_for_any_variant(factory, maker):
    robe = factory.listing(maker, title="لباس محلی", stock=0, made_to_order=True, lead_time=10)
    robe = with_options(maker, robe, SIZE, stock={"S": 5})
    assert robe.stock_quantity == 0
    assert [v.available for v in robe.offered_variants] == [None, None, None]


# -- buying a variant ------------------------------------------------------------------------


def test_an_order_takes_each_variants_own_stock_and_keeps_its_label_and_price(
    factory, maker, shawl
):
    shawl = with_options(maker, shawl, SIZE, stock={"S": 2, "L": 3}, prices={"L": 1_100_000})
    small, large = (v.id for v in shawl.offered_variants if v.option1 in ("S", "L"))
    with transaction():
        from shop.orders import services as orders

        order = orders.place_order(factory.user(), checkout({}, variants={small: 1, large: 2}))
    lines = {line.variant_label: line for line in reload(order).lines}

    assert {k: (v.quantity, v.unit_price) for k, v in lines.items()} == {
        "S": (1, 900_000),
        "L": (2, 1_100_000),
    }
    assert lines["L"].name == "شال سوزن‌دوزی (L)"
    assert offered(shawl) == {"S": (1, None), "M": (0, None), "L": (1, 1_100_000)}
    assert reload(shawl).stock_quantity == 2


def test_cancelling_gives_each_variant_its_own_stock_back(factory, maker, shawl):
    from shop.orders import services as orders

    shawl = with_options(maker, shawl, SIZE, stock={"S": 2, "M": 2})
    small = shawl.offered_variants[0].id
    buyer = factory.user()
    with transaction():
        order = orders.place_order(buyer, checkout({}, variants={small: 2}))
    with transaction():
        orders.cancel_parcel(buyer, order.parcels[0])
    assert offered(shawl)["S"] == (2, None) and reload(shawl).stock_quantity == 4


def test_a_listing_with_options_cannot_be_bought_without_choosing(factory, maker, shawl):
    from shop.orders import services as orders

    shawl = with_options(maker, shawl, SIZE, stock={"S": 2})
    retired = reload(shawl).variants[0]  # the implicit one, retired
    assert not retired.is_active
    with pytest.raises(orders.Unavailable), transaction():
        orders.place_order(factory.user(), checkout({}, variants={retired.id: 1}))
    assert count(OrderLine) == 0


# -- pages -----------------------------------------------------------------------------------


def test_the_producer_sets_options_then_stock_and_prices_on_the_variants_page(
    client, login_as, maker, shawl
):
    login_as(maker.user)
    page = client.get(f"/producer/listings/{shawl.id}/variants")
    assert page.status_code == 200

    saved = client.post(
        f"/producer/listings/{shawl.id}/options",
        data={"option1_name": "اندازه", "option1_values": "S، M، L"},
    )
    assert saved.status_code == 303
    page = client.get(f"/producer/listings/{shawl.id}/variants").text
    ids = [v.id for v in reload(shawl).offered_variants]
    data = {}
    for n, (variant_id, stock, price) in enumerate(
        zip(ids, "۱۲۳", ("", "", "۱٬۱۰۰٬۰۰۰"), strict=True)
    ):
        data |= {
            f"rows-{n}-variant_id": str(variant_id),
            f"rows-{n}-stock_quantity": stock,
            f"rows-{n}-price": price,
        }
    saved = client.post(f"/producer/listings/{shawl.id}/variants", data=data)

    assert saved.status_code == 303
    assert offered(shawl) == {"S": (1, None), "M": (2, None), "L": (3, 11_000_000)}
    assert 'value="S، M، L"' in page


def test_bad_input_on_the_variants_page_gets_a_message_and_changes_nothing(
    client, login_as, factory, maker, shawl
):
    login_as(maker.user)
    shawl = with_options(maker, shawl, SIZE, stock={"S": 2})
    small = shawl.offered_variants[0].id

    refused = client.post(
        f"/producer/listings/{shawl.id}/options",
        data={"option1_name": "اندازه", "option1_values": "S, s"},
    )
    assert refused.status_code == 400 and 'class="flash flash-danger" role="alert"' in refused.text

    refused = client.post(
        f"/producer/listings/{shawl.id}/variants",
        data={"rows-0-variant_id": str(small), "rows-0-stock_quantity": "-3"},
    )
    assert refused.status_code == 400 and form_errors(refused.text)

    other = reload(factory.listing(factory.producer(), stock=1)).variants[0].id
    refused = client.post(
        f"/producer/listings/{shawl.id}/variants",
        data={"rows-0-variant_id": str(other), "rows-0-stock_quantity": "9"},
    )
    assert refused.status_code == 404
    refused = client.post(
        f"/producer/listings/{shawl.id}/variants",
        data={"rows-0-variant_id": "abc", "rows-0-stock_quantity": "9"},
    )
    assert refused.status_code == 400
    assert offered(shawl)["S"] == (2, None)
    assert db.session.get(ProductVariant, other).stock_quantity == 1


def test_another_producer_gets_404_on_the_variants_pages(client, login_as, factory, shawl):
    login_as(factory.producer().user)
    assert client.get(f"/producer/listings/{shawl.id}/variants").status_code == 404
    posted = client.post(
        f"/producer/listings/{shawl.id}/options",
        data={"option1_name": "اندازه", "option1_values": "S"},
    )
    assert posted.status_code == 404 and not reload(shawl).has_options


def test_the_product_page_offers_each_combination_and_shows_the_sold_out_ones(client, maker, shawl):
    shawl = with_options(maker, shawl, SIZE, stock={"S": 2, "L": 5}, prices={"L": 1_100_000})
    client.post("/language/en", data={"next": "/"})
    html = client.get(f"/products/{shawl.id}").text

    assert 'name="variant_id" required' in html
    medium = next(v for v in shawl.offered_variants if v.option1 == "M")
    assert f'<option value="{medium.id}" disabled>M — ' in html and "sold out" in html
    assert "to" in html.split('data-testid="price">')[1].split("</p>")[0]  # a price range


def test_the_cart_takes_the_chosen_variant_and_refuses_none_or_a_foreign_one(
    client, factory, maker, shawl
):
    shawl = with_options(maker, shawl, SIZE, stock={"S": 2, "M": 1})
    small, medium = (v.id for v in shawl.offered_variants[:2])
    other = reload(factory.listing(factory.producer(), stock=3)).variants[0].id
    origin = {"Origin": "http://localhost"}

    def add(**data):
        return client.post(
            "/cart/add", data={"product_id": str(shawl.id), **data}, csrf=False, headers=origin
        )

    assert add(variant_id=str(small), quantity="2").status_code == 303
    assert add(variant_id=str(medium)).status_code == 303
    assert add().status_code == 400  # a size must be chosen
    assert add(variant_id=str(other)).status_code == 400  # another listing's
    assert add(variant_id=str(medium)).status_code == 409  # only one M
    lines = {line.variant_id: line.quantity for line in CartLine.query.all()}
    assert lines == {small: 2, medium: 1}

    cart = client.get("/cart").text
    assert "شال سوزن‌دوزی (S)" in cart and "شال سوزن‌دوزی (M)" in cart


def test_a_cart_line_whose_combination_was_taken_out_is_flagged_not_dropped(client, maker, shawl):
    shawl = with_options(maker, shawl, SIZE, stock={"S": 2, "M": 1})
    medium = shawl.offered_variants[1].id
    client.post(
        "/cart/add",
        data={"product_id": str(shawl.id), "variant_id": str(medium)},
        csrf=False,
        headers={"Origin": "http://localhost"},
    )
    with_options(maker, shawl, OptionKind("اندازه", ("S", "L")))

    client.post("/language/en", data={"next": "/"})
    page = client.get("/cart").text
    assert "no longer offered" in page
    assert count(CartLine) == 1


def test_the_api_reports_the_price_range_and_each_variants_availability(client, maker, shawl):
    shawl = with_options(maker, shawl, SIZE, stock={"S": 2, "L": 5}, prices={"L": 1_100_000})
    data = client.get(f"/api/v1/products/{shawl.id}").get_json()

    assert data["options"] == ["اندازه"]
    assert data["price_range"]["min"]["amount"] == 900_000
    assert data["price_range"]["max"]["amount"] == 1_100_000
    assert [(v["options"], v["in_stock"], v["stock_quantity"]) for v in data["variants"]] == [
        ({"اندازه": "S"}, True, 2),
        ({"اندازه": "M"}, False, 0),
        ({"اندازه": "L"}, True, 5),
    ]
    assert data["in_stock"] is True and data["stock_quantity"] == 7


def test_search_lists_the_listing_at_its_lowest_price(client, maker, shawl):
    from shop.search.services import drain_outbox

    with_options(maker, shawl, SIZE, stock={"S": 2, "L": 5}, prices={"S": 700_000})
    drain_outbox()
    response = client.get("/api/v1/products?q=شال&max_price=750000")
    data = response.get_json()
    assert [item["id"] for item in data["items"]] == [shawl.id]


def test_tests_name_a_listing_by_its_one_variant(shawl):
    variant = db.session.scalar(
        select(ProductVariant.id).where(ProductVariant.product_id == shawl.id)
    )
    assert by_variant({shawl.id: 2}) == {variant: 2}
    assert db.session.get(Product, shawl.id).stock_quantity == 4
