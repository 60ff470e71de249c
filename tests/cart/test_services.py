"""The cart: adding, changing and removing lines within what is available, merging a
visitor's cart at sign-in, and showing what changed since a line was added."""

from __future__ import annotations

import pytest

from shop.cart import services as carts
from shop.cart.models import Cart, CartLine
from shop.cart.queries import LineIssue, cart_item_count, view_cart
from shop.database import transaction
from shop.errors import NotAllowed, NotFound
from shop.extensions import db
from shop.listings import services as listings
from shop.orders.models import ShippingMethod
from shop.orders.services import BadQuantity
from tests.conftest import count, reload


@pytest.fixture
def goods(factory):
    centre = factory.centre()
    weaver = factory.producer(centre=centre)
    tanner = factory.producer()
    kilim = factory.listing(weaver, title="گلیم", price=2_000_000, stock=3)
    rug = factory.listing(weaver, title="تابلوفرش", price=5_000_000, stock=1)
    bag = factory.listing(tanner, title="کیف", price=1_500_000, stock=10)
    return weaver, tanner, kilim, rug, bag


def visitor_cart() -> Cart:
    with transaction():
        return carts.cart_for_token(carts.new_token())


def add(cart, product, quantity=1):
    with transaction():
        return carts.add_to_cart(cart, product.id, quantity)


def quantities(cart) -> dict[int, int]:
    return {line.product_id: line.quantity for line in reload(cart).lines}


def test_adding_the_same_listing_twice_adds_to_its_line(goods):
    kilim = goods[2]
    cart = visitor_cart()

    add(cart, kilim)
    line = add(cart, kilim, 2)

    assert quantities(cart) == {kilim.id: 3}
    assert reload(line).seen_price == 2_000_000


def test_a_quantity_is_never_above_what_is_left(goods):
    kilim, rug = goods[2], goods[3]
    cart = visitor_cart()
    add(cart, kilim, 2)

    with pytest.raises(carts.NotEnoughLeft) as refused:
        add(cart, kilim, 2)
    assert refused.value.available == 3
    assert str(refused.value) == "فقط ۳ عدد مانده است: همین تعداد یا کمتر انتخاب کنید."
    add(cart, rug)
    with pytest.raises(carts.NotEnoughLeft):
        add(cart, rug)

    assert quantities(cart) == {kilim.id: 2, rug.id: 1}


@pytest.mark.parametrize("quantity", [0, -2, 100, 2.5, "3", True, None])
def test_bad_quantities_are_refused_and_change_nothing(goods, quantity):
    kilim = goods[2]
    cart = visitor_cart()

    with pytest.raises(BadQuantity):
        add(cart, kilim, quantity)

    assert count(CartLine) == 0


def test_listings_not_for_sale_cannot_be_added(goods):
    weaver, _tanner, kilim, _rug, _bag = goods
    with transaction():
        listings.pause_listing(weaver, kilim)
    cart = visitor_cart()

    for product_id in (kilim.id, 10**6):
        with pytest.raises(carts.NotForSale), transaction():
            carts.add_to_cart(cart, product_id, 1)
    assert count(CartLine) == 0


def test_a_producer_cannot_put_their_own_listing_in_their_cart(goods):
    weaver, kilim = goods[0], goods[2]
    with transaction():
        cart = carts.cart_for_user(weaver.user)

    with pytest.raises(NotAllowed):
        add(cart, kilim)
    assert count(CartLine) == 0


def test_another_carts_line_cannot_be_changed_or_removed(goods):
    kilim = goods[2]
    mine, theirs = visitor_cart(), visitor_cart()
    line = add(theirs, kilim)

    with pytest.raises(NotFound), transaction():
        carts.set_quantity(mine, line.id, 2)
    with pytest.raises(NotFound), transaction():
        carts.remove_line(mine, line.id)

    assert quantities(theirs) == {kilim.id: 1}


def test_change_and_remove_a_line(goods):
    kilim, bag = goods[2], goods[4]
    cart = visitor_cart()
    line = add(cart, kilim)
    other = add(cart, bag)

    with transaction():
        carts.set_quantity(cart, line.id, 3)
    with pytest.raises(carts.NotEnoughLeft), transaction():
        carts.set_quantity(cart, line.id, 4)
    with transaction():
        carts.remove_line(cart, other.id)

    assert quantities(cart) == {kilim.id: 3}


def test_at_sign_in_the_visitors_cart_joins_the_users_capped_by_stock(factory, goods):
    _weaver, _tanner, kilim, rug, bag = goods
    buyer = factory.user()
    with transaction():
        users = carts.cart_for_user(buyer)
    add(users, kilim, 2)
    add(users, bag, 1)
    visitor = visitor_cart()
    add(visitor, kilim, 2)  # 2 + 2 > the 3 left: capped
    add(visitor, rug, 1)
    visitor_id = visitor.id

    with transaction():
        merged = carts.merge_into_user_cart(visitor, buyer)

    assert merged.id == users.id
    assert quantities(merged) == {kilim.id: 3, rug.id: 1, bag.id: 1}
    assert db.session.get(Cart, visitor_id) is None


def test_a_producer_signing_in_does_not_get_their_own_listing_in_their_cart(goods):
    weaver, kilim, bag = goods[0], goods[2], goods[4]
    visitor = visitor_cart()
    add(visitor, kilim)
    add(visitor, bag)

    with transaction():
        merged = carts.merge_into_user_cart(visitor, weaver.user)

    assert quantities(merged) == {bag.id: 1}


def test_the_cart_groups_lines_by_producer_with_shipping_and_subtotals(app, goods):
    weaver, tanner, kilim, rug, bag = goods
    cart = visitor_cart()
    add(cart, kilim, 2)
    add(cart, bag, 1)
    add(cart, rug, 1)

    view = view_cart(reload(cart))

    assert [p.producer.id for p in view.parcels] == [weaver.id, tanner.id]
    weaving, leather = view.parcels
    assert [v.product.id for v in weaving.lines] == [kilim.id, rug.id]
    assert weaving.items_total == 2 * 2_000_000 + 5_000_000
    post = app.config["SHOP_DEFAULT_POST_RATE"]
    assert weaving.shipping == {ShippingMethod.POST: post, ShippingMethod.CENTRE_PICKUP: 0}
    assert leather.shipping == {ShippingMethod.POST: post}
    assert view.item_count == 4 and view.can_check_out
    assert cart_item_count(token=reload(cart).token) == 4


def test_what_changed_since_a_line_was_added_is_flagged_never_silently_altered(goods):
    weaver, tanner, kilim, rug, bag = goods
    cart = visitor_cart()
    add(cart, kilim, 3)
    add(cart, rug, 1)
    add(cart, bag, 2)
    with transaction():
        listings.update_listing(weaver, kilim, listings.ListingData.of(kilim, stock_quantity=1))
        listings.update_listing(tanner, bag, listings.ListingData.of(bag, price=1_800_000))
        listings.delete_listing(weaver, rug)

    view = view_cart(reload(cart))

    issues = {v.product.id: v.issues for p in view.parcels for v in p.lines}
    assert issues == {
        kilim.id: [LineIssue.FEWER_LEFT],
        rug.id: [LineIssue.NOT_FOR_SALE],
        bag.id: [LineIssue.REPRICED],
    }
    assert quantities(cart) == {kilim.id: 3, rug.id: 1, bag.id: 2}  # nothing altered
    assert not view.can_check_out

    with transaction():
        carts.accept_changes(cart)
    view = view_cart(reload(cart))
    issues = {v.product.id: v.issues for p in view.parcels for v in p.lines}
    assert issues == {kilim.id: [], rug.id: [LineIssue.NOT_FOR_SALE], bag.id: []}
    assert quantities(cart) == {kilim.id: 1, rug.id: 1, bag.id: 2}


def test_reading_the_cart_takes_the_same_queries_for_one_line_or_many(
    factory, goods, count_queries
):
    cart = visitor_cart()
    add(cart, goods[2])
    db.session.expire_all()
    with count_queries() as few:
        view_cart(db.session.get(Cart, cart.id))

    for n in range(6):
        add(cart, factory.listing(factory.producer(), title=f"کالا {n}", stock=2))
    db.session.expire_all()
    with count_queries() as many:
        view = view_cart(db.session.get(Cart, cart.id))

    assert len(view.parcels) == 7
    assert many.count == few.count


def test_checking_out_places_the_reviewed_cart_and_empties_it(factory, goods):
    from tests.orders.test_place_order import ADDRESS

    weaver, tanner, kilim, _rug, bag = goods
    buyer = factory.user()
    with transaction():
        cart = carts.cart_for_user(buyer)
    add(cart, kilim, 2)
    add(cart, bag, 1)
    reviewed = carts.fingerprint(view_cart(reload(cart)))

    with transaction():
        order = carts.check_out(
            buyer,
            cart,
            reviewed,
            ADDRESS,
            "cash",
            "form-1",
            {weaver.id: ShippingMethod.CENTRE_PICKUP},
        )

    order = reload(order)
    assert {line.product_id: line.quantity for line in order.lines} == {kilim.id: 2, bag.id: 1}
    assert {p.producer_id: p.shipping_method for p in order.parcels} == {
        weaver.id: ShippingMethod.CENTRE_PICKUP,
        tanner.id: ShippingMethod.POST,
    }
    assert quantities(cart) == {}


def test_a_cart_changed_since_its_review_is_not_ordered(factory, goods):
    from shop.orders.models import Order
    from tests.orders.test_place_order import ADDRESS

    tanner, kilim, bag = goods[1], goods[2], goods[4]
    buyer = factory.user()
    with transaction():
        cart = carts.cart_for_user(buyer)
    add(cart, kilim, 1)
    add(cart, bag, 1)
    reviewed = carts.fingerprint(view_cart(reload(cart)))
    with transaction():  # the producer changes the price after the buyer's review
        listings.update_listing(tanner, bag, listings.ListingData.of(bag, price=1_700_000))

    with pytest.raises(carts.CartChanged), transaction():
        carts.check_out(buyer, cart, reviewed, ADDRESS, "cash", "form-1", {})
    assert count(Order) == 0 and quantities(cart) == {kilim.id: 1, bag.id: 1}
    assert reload(kilim).stock_quantity == 3

    # Reviewed again (the page shows the new price, flagged), it is ordered at that price
    again = carts.fingerprint(view_cart(reload(cart)))
    with transaction():
        order = carts.check_out(buyer, cart, again, ADDRESS, "cash", "form-1", {})
    assert {line.product_id: line.unit_price for line in reload(order).lines}[bag.id] == 1_700_000


def test_a_line_sold_out_or_withdrawn_must_be_dealt_with_before_ordering(factory, goods):
    from shop.orders.models import Order
    from tests.orders.test_place_order import ADDRESS

    weaver, rug = goods[0], goods[3]
    buyer = factory.user()
    with transaction():
        cart = carts.cart_for_user(buyer)
    add(cart, rug, 1)
    with transaction():
        listings.pause_listing(weaver, rug)
    reviewed = carts.fingerprint(view_cart(reload(cart)))

    with pytest.raises(carts.CartNeedsAttention), transaction():
        carts.check_out(buyer, cart, reviewed, ADDRESS, "cash", "form-1", {})

    assert count(Order) == 0 and quantities(cart) == {rug.id: 1}
