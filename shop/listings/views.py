"""A producer's listing pages: new, edit, pause, resume, delete, and the photos."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from shop.catalog.queries import category_tree
from shop.database import transaction
from shop.errors import DomainError, NotFound
from shop.forms import ActionForm, show_error
from shop.i18n import current_language
from shop.listings import queries, services
from shop.listings.forms import ListingForm, PhotosForm
from shop.listings.models import DescriptionFormat
from shop.media.uploads import read_uploads
from shop.producers.access import approved_producer_required

bp = Blueprint("listings", __name__)


def _category_choices(form) -> None:
    language = current_language()
    choices = []
    for parent in category_tree():
        if not parent.children:
            choices.append(SelectChoice(parent.id, parent.name(language)))
        for child in parent.children:
            choices.append(
                SelectChoice(child.id, child.name(language), optgroup=parent.name(language))
            )
    form.category_id.choices = choices


def _status() -> int:
    return 400 if request.method == "POST" else 200


def _listing_data(form: ListingForm) -> services.ListingData:
    return services.ListingData(
        title=form.title.data,
        description=form.description.data or "",
        description_format=DescriptionFormat(form.description_format.data),
        category_id=form.category_id.data,
        price=form.price.data,
        is_made_to_order=bool(form.is_made_to_order.data),
        stock_quantity=form.stock_quantity.data or 0,
        lead_time_days=form.lead_time_days.data,
        materials=form.materials.data or "",
        dimensions=form.dimensions.data or "",
        weight_grams=form.weight_grams.data,
    )


@bp.route("/producer/listings/new", methods=["GET", "POST"])
@approved_producer_required
def new_listing():
    form = ListingForm()
    _category_choices(form)
    if form.validate_on_submit():
        try:
            with transaction():
                services.create_listing(
                    g.producer, _listing_data(form), read_uploads(form.photos.data, "photos")
                )
        except DomainError as exc:
            show_error(form, exc)
        else:
            flash(_("Your listing was saved and is waiting for review."), "success")
            return redirect(url_for("producers.dashboard"), 303)
    return render_template("listings/form.html", form=form, product=None), _status()


def _own_listing_or_404(product_id: int):
    product = queries.get_own_product(g.producer, product_id)
    if product is None:
        abort(404)
    return product


@bp.route("/producer/listings/<int:product_id>/edit", methods=["GET", "POST"])
@approved_producer_required
def edit_listing(product_id: int):
    product = _own_listing_or_404(product_id)
    form = ListingForm(obj=product)
    if request.method == "GET":
        form.description_format.data = product.description_format.value
    _category_choices(form)
    if form.validate_on_submit():
        try:
            with transaction():
                services.update_listing(g.producer, product, _listing_data(form))
        except DomainError as exc:
            show_error(form, exc)
        else:
            flash(_("Your changes were saved and are waiting for review."), "success")
            return redirect(url_for("listings.edit_listing", product_id=product.id), 303)
    return render_template(
        "listings/form.html",
        form=form,
        product=product,
        photos_form=PhotosForm(),
        action_form=ActionForm(),
    ), _status()


def _listing_action(product_id: int, operation, message: str):
    product = _own_listing_or_404(product_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        with transaction():
            operation(g.producer, product)
    except DomainError:
        flash(_("That cannot be done to this listing now."), "warning")
        return redirect(url_for("producers.dashboard"), 303)
    flash(message, "success")
    return redirect(url_for("producers.dashboard"), 303)


@bp.post("/producer/listings/<int:product_id>/pause")
@approved_producer_required
def pause_listing(product_id: int):
    return _listing_action(product_id, services.pause_listing, _("The listing is paused."))


@bp.post("/producer/listings/<int:product_id>/resume")
@approved_producer_required
def resume_listing(product_id: int):
    return _listing_action(product_id, services.resume_listing, _("The listing is on sale again."))


@bp.post("/producer/listings/<int:product_id>/delete")
@approved_producer_required
def delete_listing(product_id: int):
    return _listing_action(product_id, services.delete_listing, _("The listing was deleted."))


@bp.post("/producer/listings/<int:product_id>/photos")
@approved_producer_required
def add_photos(product_id: int):
    product = _own_listing_or_404(product_id)
    form = PhotosForm()
    if not form.validate_on_submit():
        abort(400)
    back = redirect(url_for("listings.edit_listing", product_id=product.id), 303)
    try:
        uploads = read_uploads(form.photos.data, "photos")
        if not uploads:
            flash(_("Choose at least one photo."), "warning")
            return back
        with transaction():
            services.add_photos(g.producer, product, uploads)
    except DomainError as exc:
        flash(str(exc), "danger")
        return back
    flash(_("The photos were added; the listing is waiting for review."), "success")
    return back


@bp.post("/producer/listings/<int:product_id>/photos/<int:photo_id>/delete")
@approved_producer_required
def remove_photo(product_id: int, photo_id: int):
    product = _own_listing_or_404(product_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        with transaction():
            services.remove_photo(g.producer, product, photo_id)
    except NotFound:
        abort(404)
    flash(_("The photo was removed."), "success")
    return redirect(url_for("listings.edit_listing", product_id=product.id), 303)


@bp.post("/producer/listings/<int:product_id>/photos/<int:photo_id>/move")
@approved_producer_required
def move_photo(product_id: int, photo_id: int):
    product = _own_listing_or_404(product_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    direction = request.form.get("direction")
    if direction not in ("earlier", "later"):
        abort(400)
    try:
        with transaction():
            services.move_photo(g.producer, product, photo_id, -1 if direction == "earlier" else 1)
    except NotFound:
        abort(404)
    return redirect(url_for("listings.edit_listing", product_id=product.id), 303)
