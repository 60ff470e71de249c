"""Returns: a buyer asks for money back for some of a delivered parcel within the return
window; its producer (or an admin) approves — refunded once, stock back only when the goods
are — or refuses with a reason. Nobody else can ask or decide."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from shop.database import transaction, utcnow
from shop.errors import IllegalTransition
from shop.extensions import db
from shop.mail.models import OutgoingMail
from shop.orders import returns
from shop.orders import services as orders
from shop.orders.models import Parcel, ReturnRequest, ReturnStatus
from shop.payments.models import PaymentStatus, Refund, RefundStatus
from tests.conftest import count, make_jpeg, reload
from tests.orders.test_place_order import checkout


@pytest.fixture
def delivered(factory):
    """A buyer's cash-on-delivery parcel of 2 kilims and 1 bag, delivered and paid."""
    seller = factory.producer()
    kilim = factory.listing(seller, title="گلیم", price=1_000_000, stock=5)
    bag = factory.listing(seller, title="کیف", price=600_000, stock=5)
    buyer = factory.user()
    with transaction():
        order = orders.place_order(buyer, checkout({kilim.id: 2, bag.id: 1}))
    parcel = order.parcels[0]
    with transaction():
        orders.ship_parcel(seller, parcel, "پست", "1")
        orders.deliver_parcel(seller, parcel, cash_received=True)
    return buyer, seller, reload(parcel), kilim, bag


def lines_of(parcel) -> dict[str, int]:
    return {line.title: line.id for line in parcel.lines}


def ask(buyer, parcel, quantities, reason="رنگ گلیم با عکس فرق دارد", uploads=()):
    with transaction():
        return returns.request_return(buyer, parcel, quantities, reason, uploads)


def test_a_buyer_asks_for_part_of_a_parcel_and_the_producer_approves_with_the_goods_back(
    delivered,
):
    buyer, seller, parcel, kilim, _bag = delivered
    line = lines_of(parcel)
    stock_before = reload(kilim).stock_quantity

    asked = ask(buyer, parcel, {line["گلیم"]: 1})
    assert asked.amount == 1_000_000 and asked.status is ReturnStatus.REQUESTED
    assert count(OutgoingMail, OutgoingMail.to_address == seller.user.email) >= 1

    with transaction():
        returns.approve_return(reload(seller).user, reload(asked), goods_back=True)
    refund = returns.refund_approved(asked.id)

    assert refund.status is RefundStatus.SUCCEEDED and refund.by_hand  # cash: paid back by hand
    assert refund.amount == 1_000_000
    assert reload(kilim).stock_quantity == stock_before + 1  # the goods came back
    assert reload(asked).status is ReturnStatus.APPROVED
    # approving again, or refunding again, gives nothing more
    assert returns.refund_approved(asked.id).id == refund.id
    with pytest.raises(IllegalTransition), transaction():
        returns.approve_return(reload(seller).user, reload(asked), goods_back=True)
    assert count(Refund) == 1 and reload(kilim).stock_quantity == stock_before + 1


def test_without_the_goods_back_the_stock_stays_as_it_is(delivered):
    buyer, seller, parcel, _kilim, bag = delivered
    before = reload(bag).stock_quantity
    asked = ask(buyer, parcel, {lines_of(parcel)["کیف"]: 1})
    with transaction():
        returns.approve_return(reload(seller).user, reload(asked), goods_back=False)
    returns.refund_approved(asked.id)
    assert reload(bag).stock_quantity == before


def test_a_refusal_needs_a_reason_and_tells_the_buyer(delivered):
    buyer, seller, parcel, *_ = delivered
    asked = ask(buyer, parcel, {lines_of(parcel)["کیف"]: 1})
    with pytest.raises(returns.ReasonNeeded), transaction():
        returns.refuse_return(reload(seller).user, reload(asked), "  ")
    with transaction():
        returns.refuse_return(reload(seller).user, reload(asked), "کیف سالم به دست شما رسید.")
    assert reload(asked).status is ReturnStatus.REFUSED
    assert count(Refund) == 0
    # refused lines may be asked for again
    assert ask(buyer, reload(parcel), {lines_of(parcel)["کیف"]: 1}).status is ReturnStatus.REQUESTED


@pytest.mark.parametrize(
    "bad",
    [
        {"گلیم": 3},  # more than received
        {"گلیم": 0},  # nothing at all
        {"گلیم": -1},
        {},
    ],
)
def test_bad_quantities_are_refused_and_change_nothing(delivered, bad):
    buyer, _seller, parcel, *_ = delivered
    line = lines_of(parcel)
    with pytest.raises(returns.BadReturnQuantity):
        ask(buyer, parcel, {line[title]: q for title, q in bad.items()})
    assert count(ReturnRequest) == 0


def test_a_line_is_never_returned_twice_over(delivered):
    buyer, _seller, parcel, *_ = delivered
    kilim = lines_of(parcel)["گلیم"]
    ask(buyer, parcel, {kilim: 2})
    with pytest.raises(returns.BadReturnQuantity):
        ask(buyer, reload(parcel), {kilim: 1})
    assert count(ReturnRequest) == 1


def test_after_the_window_or_before_delivery_no_return_is_taken(factory, delivered):
    buyer, seller, parcel, *_ = delivered
    with transaction():
        db.session.get(Parcel, parcel.id).delivered_at = utcnow() - timedelta(days=8)
    with pytest.raises(returns.ReturnWindowClosed):
        ask(buyer, reload(parcel), {lines_of(parcel)["کیف"]: 1})

    kilim = factory.listing(seller, stock=2)
    with transaction():
        fresh = orders.place_order(buyer, checkout({kilim.id: 1}, key="k2")).parcels[0]
    with pytest.raises(returns.NotDelivered):
        ask(buyer, reload(fresh), {reload(fresh).lines[0].id: 1})
    assert count(ReturnRequest) == 0


def test_nobody_else_asks_or_decides(factory, delivered):
    buyer, _seller, parcel, *_ = delivered
    from shop.errors import NotFound

    with pytest.raises(NotFound):
        ask(factory.user(), parcel, {lines_of(parcel)["کیف"]: 1})
    asked = ask(buyer, parcel, {lines_of(parcel)["کیف"]: 1})
    for stranger in (factory.producer().user, buyer):
        with pytest.raises(NotFound), transaction():
            returns.approve_return(stranger, reload(asked), goods_back=True)
    assert reload(asked).status is ReturnStatus.REQUESTED
    admin = factory.admin()
    with transaction():
        returns.approve_return(admin, reload(asked), goods_back=False)  # an admin may
    assert reload(asked).status is ReturnStatus.APPROVED


def test_the_pages_take_a_return_with_a_photo_and_the_producer_decides(client, login_as, delivered):
    buyer, seller, parcel, _kilim, _bag = delivered
    number = parcel.order.number
    line = lines_of(parcel)["گلیم"]
    login_as(buyer)
    page = client.get(f"/orders/{number}").text
    assert f"/orders/{number}/parcels/{parcel.id}/return" in page

    response = client.post(
        f"/orders/{number}/parcels/{parcel.id}/return",
        data={
            f"return-{line}": "۱",
            "reason": "یک گوشه شکافته است",
            "photos": [(io.BytesIO(make_jpeg(400, 300)), "torn.jpg")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    asked = ReturnRequest.query.one()
    assert len(asked.photos) == 1 and asked.amount == 1_000_000
    bad = client.post(
        f"/orders/{number}/parcels/{parcel.id}/return",
        data={f"return-{line}": "9", "reason": "x"},
    )
    assert bad.status_code == 400 and count(ReturnRequest) == 1
    client.post("/logout")

    login_as(seller.user)
    assert "/returns/" in client.get(f"/producer/parcels/{parcel.id}").text
    done = client.post(
        f"/producer/parcels/{parcel.id}/returns/{asked.id}/approve", data={"goods_back": "y"}
    )
    assert done.status_code == 303
    assert reload(asked).status is ReturnStatus.APPROVED
    assert Refund.query.one().status is RefundStatus.SUCCEEDED
    payment = next(p for p in reload(parcel).order.payments if p.parcel_id == parcel.id)
    assert payment.status is PaymentStatus.CAPTURED  # part of it given back


def test_another_producer_gets_404_on_someone_elses_return(client, login_as, factory, delivered):
    buyer, _seller, parcel, *_ = delivered
    asked = ask(buyer, parcel, {lines_of(parcel)["کیف"]: 1})
    login_as(factory.producer().user)
    for action in ("approve", "refuse"):
        response = client.post(
            f"/producer/parcels/{parcel.id}/returns/{asked.id}/{action}", data={"reason": "x"}
        )
        assert response.status_code == 404
    assert reload(asked).status is ReturnStatus.REQUESTED


def test_a_refund_that_failed_is_made_by_the_reconciler(delivered, monkeypatch):
    from shop.payments import refunds
    from shop.payments.reconcile import reconcile_all

    buyer, seller, parcel, *_ = delivered
    asked = ask(buyer, parcel, {lines_of(parcel)["کیف"]: 1})
    with transaction():
        returns.approve_return(reload(seller).user, reload(asked), goods_back=False)

    def down(refund):
        raise refunds.RefundFailed()

    monkeypatch.setattr(refunds, "_ask_provider", down)
    with pytest.raises(refunds.RefundFailed):
        returns.refund_approved(asked.id)
    assert reconcile_all()["returns refunded"] == 0  # still down
    monkeypatch.undo()

    assert reconcile_all()["returns refunded"] == 1
    assert reconcile_all()["returns refunded"] == 0  # nothing twice
    succeeded = Refund.query.filter_by(status=RefundStatus.SUCCEEDED).all()
    assert [r.amount for r in succeeded] == [600_000]


def test_an_admin_answers_a_return_from_the_payments_page(client, login_as, factory, delivered):
    buyer, _seller, parcel, *_ = delivered
    first = ask(buyer, parcel, {lines_of(parcel)["کیف"]: 1})
    second = ask(buyer, reload(parcel), {lines_of(parcel)["گلیم"]: 1})
    login_as(factory.admin())
    page = client.get("/admin/payments").text
    assert f"/admin/returns/{first.id}/approve" in page

    assert client.post(f"/admin/returns/{first.id}/approve").status_code == 303
    assert client.post(f"/admin/returns/{second.id}/refuse", data={"reason": ""}).status_code == 303
    assert reload(second).status is ReturnStatus.REQUESTED  # no reason, no refusal
    client.post(f"/admin/returns/{second.id}/refuse", data={"reason": "عکس‌ها چیزی نشان نمی‌دهند"})
    assert reload(first).status is ReturnStatus.APPROVED
    assert reload(second).status is ReturnStatus.REFUSED
    assert [r.amount for r in Refund.query.all()] == [600_000]
    assert client.post("/admin/returns/999999/approve").status_code == 404


def test_a_parcel_returned_whole_is_marked_returned_and_a_part_is_not(client, login_as, delivered):
    buyer, seller, parcel, *_ = delivered
    line = lines_of(parcel)
    part = ask(buyer, parcel, {line["گلیم"]: 1})
    with transaction():
        returns.approve_return(reload(seller).user, reload(part), goods_back=True)
    assert reload(parcel).returned_at is None

    rest = ask(buyer, reload(parcel), {line["گلیم"]: 1, line["کیف"]: 1})
    with transaction():
        returns.approve_return(reload(seller).user, reload(rest), goods_back=True)
    assert reload(parcel).returned_at is not None
    login_as(buyer)
    assert "مرجوع‌شده" in client.get(f"/orders/{parcel.order.number}").text
