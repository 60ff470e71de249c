"""Checkout and the buyer's order pages."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from shop.cart import queries as cart_queries
from shop.cart import services as carts
from shop.cart.views import session_cart
from shop.database import transaction
from shop.errors import DomainError, IllegalTransition
from shop.forms import ActionForm, ReasonForm, show_error
from shop.i18n import current_language, format_money
from shop.orders import addresses, queries, services
from shop.orders.forms import CheckoutForm, DeliverForm, ShipForm
from shop.orders.iran import province_choices
from shop.orders.models import OrderStatus, ShippingMethod
from shop.payments.providers import provider_codes
from shop.payments.refunds import pay_back_cancelled
from shop.producers.access import approved_producer_required
from shop.web import page_argument

bp = Blueprint("checkout", __name__)

ORDERS_PER_PAGE = 10


def _payment_label(code: str) -> str:
    return {
        "cash": _("Cash on delivery, or at the centre"),
        "zarinpal": _("Online now, with any Shetab bank card (Zarinpal)"),
        "stripe": _("Online now, by card (Stripe)"),
    }.get(code, code)


def _prepare(form: CheckoutForm) -> None:
    form.province.choices = [("", _("Choose…")), *province_choices(current_language())]
    form.payment_method.choices = [(code, _payment_label(code)) for code in provider_codes()]


def _prefill(form: CheckoutForm) -> None:
    saved = addresses.list_addresses(current_user)
    if saved:
        default = saved[0]
        for name in ("recipient", "mobile", "province", "city", "street_address", "postal_code"):
            getattr(form, name).data = getattr(default, name)
    else:
        form.recipient.data = current_user.display_name


def _chosen_shipping(view) -> dict[int, ShippingMethod]:
    methods = {method.value: method for method in ShippingMethod}
    chosen = {}
    for parcel in view.parcels:
        raw = request.form.get(f"shipping-{parcel.producer.id}", ShippingMethod.POST.value)
        if raw not in methods:
            raise services.ShippingNotOffered()
        chosen[parcel.producer.id] = methods[raw]
    return chosen


def _render(form, view, status=200, shipping=None):
    shipping = shipping or {
        p.producer.id: next(iter(p.shipping)) for p in view.parcels if p.shipping
    }
    totals = {p.producer.id: p.shipping.get(shipping.get(p.producer.id), 0) for p in view.parcels}
    return (
        render_template(
            "orders/checkout.html",
            form=form,
            view=view,
            shipping=shipping,
            total=view.items_total + sum(totals.values()),
        ),
        status,
    )


@bp.route("/checkout", methods=["GET", "POST"])
@login_required
def show():
    if request.method == "POST":
        # The same checkout sent again (a double click, the back button, a retry): its order.
        placed = services.find_order_by_checkout(current_user.id, request.form.get("key", ""))
        if placed is not None:
            return redirect(url_for("checkout.order", number=placed.number), 303)
    cart = session_cart()
    view = cart_queries.view_cart(cart)
    if not view.parcels:
        flash(_("Your cart is empty."), "info")
        return redirect(url_for("cart.show"), 303)
    form = CheckoutForm()
    _prepare(form)
    if request.method == "GET":
        _prefill(form)
        form.reviewed.data = carts.fingerprint(view)
        form.key.data = secrets.token_urlsafe(24)
        return _render(form, view)
    if not form.validate_on_submit():
        return _render(form, view, 400)
    address = services.DeliveryAddress(
        recipient=form.recipient.data,
        mobile=form.mobile.data,
        province=form.province.data,
        city=form.city.data,
        street_address=form.street_address.data,
        postal_code=form.postal_code.data,
    )
    shipping = None
    try:
        shipping = _chosen_shipping(view)
        with transaction():
            order = carts.check_out(
                current_user,
                cart,
                form.reviewed.data or "",
                address,
                form.payment_method.data,
                (form.key.data or "")[:64],
                shipping,
            )
            if form.save_address.data:
                addresses.remember_address(current_user, address)
    except services.AlreadyPlaced:
        order = services.find_order_by_checkout(current_user.id, form.key.data or "")
        if order is None:  # the same form is being placed right now by the other submission
            abort(409)
        return redirect(url_for("checkout.order", number=order.number), 303)
    except services.OutOfStock as error:
        for shortage in error.shortages:
            form.form_errors.append(
                _(
                    "«%(title)s»: you asked for %(wanted)s, %(left)s left.",
                    title=shortage.title,
                    wanted=shortage.wanted,
                    left=shortage.available,
                )
            )
        show_error(form, error)
        return _render(form, cart_queries.view_cart(session_cart()), 409, shipping)
    except carts.CartChanged as error:
        show_error(form, error)
        fresh = cart_queries.view_cart(session_cart())
        form.reviewed.data = carts.fingerprint(fresh)
        return _render(form, fresh, 409, shipping)
    except DomainError as error:
        show_error(form, error)
        return _render(form, view, 400, shipping)
    if order.status is OrderStatus.AWAITING_PAYMENT:
        return _to_gateway(order)
    flash(_("Your order %(number)s is placed.", number=order.number), "success")
    return redirect(url_for("checkout.order", number=order.number), 303)


def _to_gateway(order):
    """Send the buyer to pay the order online (after its transaction has committed)."""
    from shop.payments import stripe_checkout, zarinpal

    try:
        if order.payment_method == stripe_checkout.CODE:
            gateway = stripe_checkout.begin_payment(
                order.id,
                url_for("payments.stripe_success", _external=True),
                url_for("checkout.order", number=order.number, _external=True),
            )
        else:
            gateway = zarinpal.begin_payment(
                order.id, url_for("payments.zarinpal_callback", _external=True)
            )
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("checkout.order", number=order.number), 303)
    return redirect(gateway, 303)


@bp.post("/orders/<number>/pay")
@login_required
def pay_online(number: str):
    """Try the online payment again (the buyer came back without paying)."""
    found = queries.get_buyer_order(current_user, number[:12])
    if found is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    return _to_gateway(found)


@bp.post("/orders/<number>/pay-on-delivery")
@login_required
def pay_on_delivery(number: str):
    """Give up paying online: the order goes to its producers now, paid on delivery."""
    found = queries.get_buyer_order(current_user, number[:12])
    if found is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        with transaction():
            services.switch_to_cash(current_user, found)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("checkout.order", number=number), 303)
    flash(_("Your order %(number)s is placed, to be paid on delivery.", number=number), "success")
    return redirect(url_for("checkout.order", number=number), 303)


def _return_quantities(parcel) -> dict[int, int]:
    from shop.web import parse_int

    quantities = {}
    for line in parcel.lines:
        value = parse_int(request.form.get(f"return-{line.id}"), name="quantity", low=0, high=99)
        if value:
            quantities[line.id] = value
    return quantities


@bp.post("/orders/<number>/parcels/<int:parcel_id>/return")
@login_required
def ask_return(number: str, parcel_id: int):
    """The buyer asks for their money back for some of a delivered parcel."""
    from shop.media.uploads import read_uploads
    from shop.orders import returns
    from shop.orders.forms import ReturnForm

    found = queries.get_buyer_order(current_user, number[:12])
    parcel = next((p for p in found.parcels if p.id == parcel_id), None) if found else None
    if parcel is None:
        abort(404)
    form = ReturnForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return _order_page(number, 400)
    try:
        with transaction():
            returns.request_return(
                current_user,
                parcel,
                _return_quantities(parcel),
                form.reason.data,
                read_uploads(form.photos.data, "photos"),
            )
    except DomainError as error:
        flash(str(error), "error")
        return _order_page(number, 400)
    flash(_("Your return is asked for; the maker answers you by e-mail."), "success")
    return redirect(url_for("checkout.order", number=number), 303)


def _return_context() -> dict:
    """What the order page needs to offer returns: the form and the window."""
    from datetime import timedelta

    from flask import current_app

    from shop.database import utcnow
    from shop.orders.forms import ReturnForm

    days = current_app.config["SHOP_RETURN_DAYS"]
    return {"return_form": ReturnForm(), "return_window": timedelta(days=days), "now": utcnow()}


def _order_page(number: str, status: int):
    found = queries.get_buyer_order(current_user, number[:12])
    return (
        render_template("orders/order.html", order=found, form=ActionForm(), **_return_context()),
        status,
    )


@bp.get("/orders")
@login_required
def orders():
    page = queries.list_buyer_orders(current_user, page_argument(), ORDERS_PER_PAGE)
    return render_template("orders/list.html", page=page)


@bp.get("/orders/<number>")
@login_required
def order(number: str):
    found = queries.get_buyer_order(current_user, number[:12])
    if found is None:
        abort(404)
    return render_template("orders/order.html", order=found, form=ActionForm(), **_return_context())


@bp.post("/orders/<number>/parcels/<int:parcel_id>/cancel")
@login_required
def cancel_parcel(number: str, parcel_id: int):
    form = ActionForm()
    found = queries.get_buyer_order(current_user, number[:12])
    parcel = next((p for p in found.parcels if p.id == parcel_id), None) if found else None
    if parcel is None:
        abort(404)
    if not form.validate_on_submit():
        abort(400)
    try:
        with transaction():
            services.cancel_parcel(current_user, parcel)
        pay_back_cancelled(parcel.id)
    except DomainError as error:
        flash(str(error), "error")
        return (
            render_template(
                "orders/order.html", order=queries.get_buyer_order(current_user, number), form=form
            ),
            409,
        )
    flash(_("The parcel is cancelled."), "success")
    return redirect(url_for("checkout.order", number=number), 303)


# -- a producer's parcels ----------------------------------------------------------------------

producer_bp = Blueprint("parcels", __name__)


@producer_bp.app_context_processor
def parcels_in_header():
    def new_parcel_count() -> int:
        return queries.count_new_parcels(current_user.producer)

    return {"new_parcel_count": new_parcel_count}


PARCELS_PER_PAGE = 20


def _own_parcel(parcel_id: int):
    parcel = queries.get_producer_parcel(g.producer, parcel_id)
    if parcel is None:
        abort(404)
    return parcel


@producer_bp.get("/producer/parcels")
@approved_producer_required
def parcels():
    names = {group.value: group for group in queries.ParcelGroup}
    tab = names.get(request.args.get("tab", "new"))
    if tab is None:
        abort(400)
    page = queries.list_producer_parcels(g.producer, tab, page_argument(), PARCELS_PER_PAGE)
    return render_template(
        "orders/parcels.html",
        page=page,
        tab=tab,
        groups=list(queries.ParcelGroup),
        new_count=queries.count_new_parcels(g.producer),
    )


def _render_parcel(parcel, status=200, ship=None, deliver=None, refuse=None):
    return (
        render_template(
            "orders/parcel.html",
            parcel=parcel,
            ship=ship or ShipForm(),
            deliver=deliver or DeliverForm(),
            refuse=refuse or ReasonForm(),
        ),
        status,
    )


@producer_bp.get("/producer/parcels/<int:parcel_id>")
@approved_producer_required
def parcel(parcel_id: int):
    found = _own_parcel(parcel_id)
    with transaction():
        services.open_parcel(g.producer, found)
    return _render_parcel(found)


@producer_bp.get("/producer/parcels/<int:parcel_id>/slip")
@approved_producer_required
def packing_slip(parcel_id: int):
    return render_template("orders/packing_slip.html", parcel=_own_parcel(parcel_id))


def _parcel_action(parcel_id: int, form, act, after=None, **forms):
    """Do ``act`` to the producer's parcel in one transaction, then ``after`` (once it has
    committed: what asks a provider)."""
    found = _own_parcel(parcel_id)
    if not form.validate_on_submit():
        return _render_parcel(found, 400, **forms)
    try:
        with transaction():
            act(found)
        if after is not None:
            after(parcel_id)
    except DomainError as error:
        show_error(form, error)
        status = 409 if isinstance(error, IllegalTransition) else 400
        return _render_parcel(_own_parcel(parcel_id), status, **forms)
    return redirect(url_for("parcels.parcel", parcel_id=parcel_id), 303)


@producer_bp.post("/producer/parcels/<int:parcel_id>/ship")
@approved_producer_required
def ship(parcel_id: int):
    form = ShipForm()
    return _parcel_action(
        parcel_id,
        form,
        lambda p: services.ship_parcel(g.producer, p, form.carrier.data, form.tracking_code.data),
        ship=form,
    )


@producer_bp.post("/producer/parcels/<int:parcel_id>/deliver")
@approved_producer_required
def deliver(parcel_id: int):
    form = DeliverForm()
    return _parcel_action(
        parcel_id,
        form,
        lambda p: services.deliver_parcel(g.producer, p, bool(form.cash_received.data)),
        deliver=form,
    )


@producer_bp.post("/producer/parcels/<int:parcel_id>/refuse")
@approved_producer_required
def refuse(parcel_id: int):
    form = ReasonForm()
    return _parcel_action(
        parcel_id,
        form,
        lambda p: services.refuse_parcel(g.producer, p, form.reason.data),
        after=pay_back_cancelled,
        refuse=form,
    )


def _own_return(parcel_id: int, request_id: int):
    parcel = _own_parcel(parcel_id)
    found = next((r for r in parcel.returns if r.id == request_id), None)
    if found is None:
        abort(404)
    return found


@producer_bp.post("/producer/parcels/<int:parcel_id>/returns/<int:request_id>/approve")
@approved_producer_required
def approve_return(parcel_id: int, request_id: int):
    from shop.orders import returns

    found = _own_return(parcel_id, request_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        with transaction():
            returns.approve_return(current_user, found, bool(request.form.get("goods_back")))
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("parcels.parcel", parcel_id=parcel_id), 303)
    refund_return(found.id)
    return redirect(url_for("parcels.parcel", parcel_id=parcel_id), 303)


def refund_return(request_id: int) -> None:
    """After the approval has committed: make its refund and say how it went (the reconciler
    retries a failure). Shared by the producer's and the admin's approvals."""
    from shop.orders import returns
    from shop.payments.refunds import RefundFailed

    try:
        refund = returns.refund_approved(request_id, by=current_user)
    except RefundFailed as error:
        flash(str(error), "error")
        return
    if refund.by_hand:
        flash(
            _(
                "Approved: pay %(amount)s back to the buyer by hand.",
                amount=format_money(refund.amount),
            ),
            "warning",
        )
    else:
        flash(
            _("Approved: %(amount)s was given back.", amount=format_money(refund.amount)), "success"
        )


@producer_bp.post("/producer/parcels/<int:parcel_id>/returns/<int:request_id>/refuse")
@approved_producer_required
def refuse_return(parcel_id: int, request_id: int):
    from shop.orders import returns

    found = _own_return(parcel_id, request_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Write the reason, so the person knows what to change."), "error")
        return redirect(url_for("parcels.parcel", parcel_id=parcel_id), 303)
    try:
        with transaction():
            returns.refuse_return(current_user, found, form.reason.data)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("The return is refused; the buyer is told why."), "success")
    return redirect(url_for("parcels.parcel", parcel_id=parcel_id), 303)
