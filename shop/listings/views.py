"""A producer's listing pages: new, edit, pause, resume, delete, and the photos."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from shop.catalog.queries import category_tree
from shop.database import transaction
from shop.errors import DomainError, NotFound
from shop.extensions import db
from shop.forms import ActionForm, show_error
from shop.i18n import current_language
from shop.listings import queries, services, variants
from shop.listings.forms import ListingForm, OptionsForm, PhotosForm, VariantsForm
from shop.listings.models import DescriptionFormat
from shop.media.uploads import read_uploads
from shop.producers.access import approved_producer_required
from shop.producers.views import render_dashboard

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


def _saved_message(product, result: services.EditResult) -> str:
    if not result.waiting_for_review:
        return _("Your changes are saved and shown to buyers now.")
    if product.status.was_approved:
        return _(
            "Saved. Price, stock and lead time apply now; the new words, photos and category "
            "wait for review while the listing stays on sale as approved."
        )
    return _("Your changes were saved and are waiting for review.")


@bp.route("/producer/listings/<int:product_id>/edit", methods=["GET", "POST"])
@approved_producer_required
def edit_listing(product_id: int):
    product = _own_listing_or_404(product_id)
    revision = product.open_revision
    # The form shows the words as last proposed (or as on sale), the sale terms as they are.
    form = ListingForm(obj=queries.preview_of(product) or product)
    form.stock_per_variant = product.has_options
    if request.method == "GET":
        form.description_format.data = (revision or product).description_format.value
    _category_choices(form)
    if form.validate_on_submit():
        try:
            with transaction():
                result = services.update_listing(g.producer, product, _listing_data(form))
        except DomainError as exc:
            show_error(form, exc)
        else:
            flash(_saved_message(product, result), "success")
            return redirect(url_for("listings.edit_listing", product_id=product.id), 303)
    return _edit_page(product, form=form, status=_status())


def _edit_page(product, *, form=None, photos_form=None, status: int = 200):
    """The edit page: the listing form and the photos, as proposed (or as on sale)."""
    db.session.expire(product)  # an operation that was refused may have been rolled back
    revision = product.open_revision
    if form is None:
        form = ListingForm(obj=queries.preview_of(product) or product)
        form.description_format.data = (revision or product).description_format.value
        _category_choices(form)
    return render_template(
        "listings/form.html",
        form=form,
        product=product,
        revision=revision,
        photos=revision.photos if revision is not None else product.photos,
        photos_form=photos_form or PhotosForm(),
        action_form=ActionForm(),
    ), status


@bp.get("/producer/listings/<int:product_id>/preview")
@approved_producer_required
def preview_listing(product_id: int):
    """The listing as buyers will see it once the changes waiting for review are approved."""
    product = _own_listing_or_404(product_id)
    preview = queries.preview_of(product)
    if preview is None:
        return redirect(url_for("listings.edit_listing", product_id=product.id), 303)
    return render_template("listings/preview.html", product=preview, revision=preview.revision)


@bp.post("/producer/listings/<int:product_id>/discard")
@approved_producer_required
def discard_changes(product_id: int):
    product = _own_listing_or_404(product_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        with transaction():
            services.discard_changes(g.producer, product)
    except DomainError as exc:
        flash(str(exc), "warning")
    else:
        flash(_("Your changes were discarded; the listing stays as approved."), "success")
    return redirect(url_for("listings.edit_listing", product_id=product.id), 303)


def _listing_action(product_id: int, operation, message: str):
    product = _own_listing_or_404(product_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        with transaction():
            operation(g.producer, product)
    except DomainError:
        # A stale page or a second click: say so on the dashboard, as it is now.
        flash(_("That cannot be done to this listing now."), "warning")
        return render_dashboard(409)
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


@bp.route("/producer/listings/<int:product_id>/delete", methods=["GET", "POST"])
@approved_producer_required
def delete_listing(product_id: int):
    if request.method == "GET":  # the confirmation, which works without script
        product = _own_listing_or_404(product_id)
        return render_template("listings/delete.html", product=product)
    return _listing_action(product_id, services.delete_listing, _("The listing was deleted."))


@bp.post("/producer/listings/<int:product_id>/photos")
@approved_producer_required
def add_photos(product_id: int):
    product = _own_listing_or_404(product_id)
    form = PhotosForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        uploads = read_uploads(form.photos.data, "photos")
        if not uploads:
            form.photos.errors = [_("Choose at least one photo.")]
            return _edit_page(product, photos_form=form, status=400)
        with transaction():
            services.add_photos(g.producer, product, uploads)
    except DomainError as exc:
        show_error(form, exc, default_field="photos")
        return _edit_page(product, photos_form=form, status=400)
    flash(_("The photos were added; they are shown once the changes are approved."), "success")
    return redirect(url_for("listings.edit_listing", product_id=product.id), 303)


# ``<image_id>``: photos are named by their picture, which keeps its id when a revision
# copies the listing's photos.
@bp.post("/producer/listings/<int:product_id>/photos/<int:image_id>/delete")
@approved_producer_required
def remove_photo(product_id: int, image_id: int):
    product = _own_listing_or_404(product_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        with transaction():
            services.remove_photo(g.producer, product, image_id)
    except NotFound:
        abort(404)
    flash(_("The photo was removed."), "success")
    return redirect(url_for("listings.edit_listing", product_id=product.id), 303)


@bp.post("/producer/listings/<int:product_id>/photos/<int:image_id>/move")
@approved_producer_required
def move_photo(product_id: int, image_id: int):
    product = _own_listing_or_404(product_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    direction = request.form.get("direction")
    if direction not in ("earlier", "later"):
        abort(400)
    try:
        with transaction():
            services.move_photo(g.producer, product, image_id, -1 if direction == "earlier" else 1)
    except NotFound:
        abort(404)
    return redirect(url_for("listings.edit_listing", product_id=product.id), 303)


# -- options and variants --------------------------------------------------------------------


def _options_form(product) -> OptionsForm:
    form = OptionsForm()
    if request.method == "GET" or not form.is_submitted():
        offered = product.offered_variants
        for number, name in enumerate(product.option_names, start=1):
            values = dict.fromkeys(v.values[number - 1] for v in offered if v.values)
            getattr(form, f"option{number}_name").data = name
            getattr(form, f"option{number}_values").data = "، ".join(values)
    return form


def _variants_form(product) -> VariantsForm:
    form = VariantsForm()
    if not form.is_submitted():
        for variant in product.offered_variants:
            form.rows.append_entry(
                {
                    "variant_id": variant.id,
                    "stock_quantity": variant.stock_quantity,
                    "price": variant.price,
                }
            )
    return form


def _variants_page(product, *, options_form=None, variants_form=None, status: int = 200):
    db.session.expire(product)  # a refused operation may have been rolled back
    options_form = options_form or _options_form(product)
    variants_form = variants_form or _variants_form(product)
    by_id = {v.id: v for v in product.offered_variants}
    rows = []
    for row in variants_form.rows:
        raw = str(row.variant_id.data or "").strip()
        variant = by_id.get(int(raw)) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
        if variant is not None:
            rows.append((row, variant))
    return render_template(
        "listings/variants.html",
        product=product,
        options_form=options_form,
        variants_form=variants_form,
        rows=rows,
        max_values=variants.MAX_VALUES,
    ), status


@bp.get("/producer/listings/<int:product_id>/variants")
@approved_producer_required
def variants_page(product_id: int):
    return _variants_page(_own_listing_or_404(product_id))


@bp.post("/producer/listings/<int:product_id>/options")
@approved_producer_required
def set_options(product_id: int):
    product = _own_listing_or_404(product_id)
    form = OptionsForm()
    if not form.validate_on_submit():
        return _variants_page(product, options_form=form, status=400)
    kinds = [
        variants.OptionKind(
            (getattr(form, f"option{n}_name").data or "").strip(),
            variants.parse_values(getattr(form, f"option{n}_values").data or ""),
        )
        for n in (1, 2)
    ]
    try:
        with transaction():
            services.set_listing_options(g.producer, product, kinds)
    except DomainError as exc:
        show_error(form, exc)
        return _variants_page(product, options_form=form, status=400)
    flash(_("The options are saved. Set how many of each are ready to send."), "success")
    return redirect(url_for("listings.variants_page", product_id=product.id), 303)


def _row_terms(form: VariantsForm) -> dict[int, variants.VariantTerms] | None:
    """variant id → its terms, or None when a row names no variant (a tampered form)."""
    terms = {}
    for row in form.rows:
        raw = str(row.variant_id.data or "").strip()
        if not (raw.isascii() and raw.isdigit() and len(raw) < 10) or int(raw) in terms:
            return None
        terms[int(raw)] = variants.VariantTerms(row.stock_quantity.data, row.price.data)
    return terms


@bp.post("/producer/listings/<int:product_id>/variants")
@approved_producer_required
def update_variants(product_id: int):
    product = _own_listing_or_404(product_id)
    form = VariantsForm()
    if not form.validate_on_submit():
        return _variants_page(product, variants_form=form, status=400)
    terms = _row_terms(form)
    if terms is None:
        abort(400)
    try:
        with transaction():
            services.update_listing_variants(g.producer, product, terms)
    except NotFound:
        abort(404)
    except DomainError as exc:
        form.form_errors.append(str(exc))
        return _variants_page(product, variants_form=form, status=400)
    flash(_("The stock and prices of the variants are saved."), "success")
    return redirect(url_for("listings.variants_page", product_id=product.id), 303)
