"""The cart page, adding from a product page, changing and removing lines."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from shop.cart import queries, services
from shop.cart.models import Cart
from shop.database import transaction
from shop.errors import DomainError, NotAllowed, NotFound
from shop.extensions import csrf, limiter
from shop.forms import ActionForm
from shop.web import MAX_ID, parse_int

bp = Blueprint("cart", __name__)

#: The session key of a visitor's cart token.
CART_KEY = "cart"


def session_cart() -> Cart | None:
    """The cart of whoever is asking, if they have one (never made here)."""
    if current_user.is_authenticated:
        return queries.find_cart(user_id=current_user.id)
    return queries.find_cart(token=session.get(CART_KEY))


def _cart_to_change() -> Cart:
    """The asker's cart, made now if they have none (inside the caller's transaction)."""
    if current_user.is_authenticated:
        return services.cart_for_user(current_user)
    token = session.get(CART_KEY) or services.new_token()
    session[CART_KEY] = token
    return services.cart_for_token(token)


def header_count() -> int:
    """The number shown beside «Cart» on every page: no query for a visitor without one."""
    if current_user.is_authenticated:
        return queries.cart_item_count(user_id=current_user.id)
    return queries.cart_item_count(token=session.get(CART_KEY))


@bp.app_context_processor
def cart_in_header():
    def cart_item_count() -> int:
        if not current_user.is_authenticated and session.get(CART_KEY):
            g.shows_cart = True  # the page now shows this visitor's cart: never cache it
        return header_count()

    return {"cart_item_count": cart_item_count}


def merge_at_sign_in(user, visitor_token: str | None) -> None:
    """Called by sign-in and registration: the visitor's cart joins the user's."""
    if not visitor_token:
        return
    with transaction():
        visitor = queries.find_cart(token=visitor_token)
        if visitor is not None:
            services.merge_into_user_cart(visitor, user)


def _same_site() -> bool:
    """A visitor's add needs no token (so product pages stay cacheable), but must come from
    one of our pages: a browser names the page's origin on every cross-site POST."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source:
        return True
    return urlsplit(source).netloc == request.host


def _status(error: DomainError) -> int:
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, NotAllowed):
        return 403
    if isinstance(error, services.NotEnoughLeft):
        return 409
    return 400


def _render(status: int = 200, error: str | None = None):
    view = queries.view_cart(session_cart())
    return (
        render_template("cart/cart.html", view=view, form=ActionForm(), error=error),
        status,
    )


@bp.get("/cart")
def show():
    return _render()


@bp.post("/cart/add")
@csrf.exempt
@limiter.limit("60 per minute")
def add():
    # Signed in, the page carried a token and the request must too (as with the language
    # switch); a visitor's add only fills their own cart, so it is checked by its origin.
    if current_user.is_authenticated:
        csrf.protect()
    elif not _same_site():
        abort(403)
    try:
        product_id = parse_int(
            request.form.get("product_id"), name="product_id", low=1, high=MAX_ID
        )
        variant_id = parse_int(
            request.form.get("variant_id"), name="variant_id", low=1, high=MAX_ID
        )
        quantity = parse_int(request.form.get("quantity"), name="quantity", low=1, high=99) or 1
        if product_id is None:
            raise services.NotForSale()
        with transaction():
            line = services.add_to_cart(_cart_to_change(), product_id, quantity, variant_id)
            title = line.product.title
            if line.variant.label:
                title = f"{title} ({line.variant.label})"
    except DomainError as error:
        return _render(_status(error), str(error))
    flash(_("«%(title)s» is in your cart.", title=title), "success")
    return redirect(url_for("cart.show"), 303)


def _line_action(change):
    form = ActionForm()
    if not form.validate_on_submit():
        return _render(400, _("The request was not valid."))
    cart = session_cart()
    if cart is None:
        abort(404)
    try:
        with transaction():
            change(cart)
    except DomainError as error:
        return _render(_status(error), str(error))
    return redirect(url_for("cart.show"), 303)


@bp.post("/cart/lines/<int:line_id>")
def update(line_id: int):
    def change(cart):
        quantity = parse_int(request.form.get("quantity"), name="quantity", low=1, high=99)
        if quantity is None:
            raise services.BadQuantity()
        services.set_quantity(cart, line_id, quantity)

    return _line_action(change)


@bp.post("/cart/lines/<int:line_id>/remove")
def remove(line_id: int):
    return _line_action(lambda cart: services.remove_line(cart, line_id))


@bp.post("/cart/accept")
def accept():
    return _line_action(services.accept_changes)
