from functools import wraps

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from shop.catalog import queries as catalog_queries
from shop.catalog import services as listings
from shop.catalog.forms import ActionForm, ListingForm, PhotosForm
from shop.catalog.models import DescriptionFormat, ProductStatus
from shop.i18n import current_language
from shop.media.images import ImageRejected
from shop.media.uploads import read_upload, read_uploads, rejection_message
from shop.producers import queries, services
from shop.producers.forms import ApplyForm, BrandForm, JoinCooperativeForm
from shop.producers.models import ProducerStatus
from shop.web import page_argument, sort_argument

bp = Blueprint("producers", __name__)


def approved_producer_required(view):
    """Only a signed-in, approved producer may use the view; ``g.producer`` is theirs."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        producer = current_user.producer
        if producer is None or producer.status is not ProducerStatus.APPROVED:
            flash(_("Your shop must be approved before you can do that."), "warning")
            return redirect(url_for("producers.dashboard"))
        g.producer = producer
        return view(*args, **kwargs)

    return wrapped


def _fill_choices(form) -> None:
    none = [SelectChoice(0, "—")]
    if hasattr(form, "centre_id"):
        form.centre_id.choices = none + [
            SelectChoice(c.id, f"{c.name} ({c.city})") for c in queries.centre_choices()
        ]
    if hasattr(form, "cooperative_id"):
        form.cooperative_id.choices = none + [
            SelectChoice(c.id, c.name) for c in queries.cooperative_choices()
        ]


def _category_choices(form) -> None:
    language = current_language()
    choices = []
    for parent in catalog_queries.category_tree():
        if not parent.children:
            choices.append(SelectChoice(parent.id, parent.name(language)))
        for child in parent.children:
            choices.append(
                SelectChoice(child.id, child.name(language), optgroup=parent.name(language))
            )
    form.category_id.choices = choices


def _status(form) -> int:
    return 400 if request.method == "POST" else 200


@bp.route("/producer/apply", methods=["GET", "POST"])
@login_required
def apply():
    producer = current_user.producer
    if producer is not None and producer.status is not ProducerStatus.REJECTED:
        return redirect(url_for("producers.dashboard"))
    form = ApplyForm()
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            certificate = read_upload(form.certificate.data)
            services.apply_as_producer(
                current_user._get_current_object(),
                services.Application(
                    shop_name=form.shop_name.data,
                    city=form.city.data,
                    neighbourhood=form.neighbourhood.data or "",
                    centre_id=form.centre_id.data,
                    cooperative_id=form.cooperative_id.data,
                    certificate=certificate,
                ),
            )
        except ImageRejected as exc:
            form.certificate.errors.append(rejection_message(exc.code))
        except services.ProducerError as exc:
            getattr(form, exc.field or "shop_name").errors.append(
                _("This choice is not available.")
            )
        else:
            flash(_("Thank you! Your application was sent and will be reviewed soon."), "success")
            return redirect(url_for("producers.dashboard"), 303)
    return render_template("producers/apply.html", form=form, producer=producer), _status(form)


@bp.get("/producer/")
@login_required
def dashboard():
    producer = current_user.producer
    if producer is None:
        return redirect(url_for("producers.apply"))
    products = queries.list_own_products(producer) if producer.is_approved else []
    return render_template(
        "producers/dashboard.html",
        producer=producer,
        products=products,
        action_form=ActionForm(),
        ProductStatus=ProductStatus,
    )


@bp.route("/producer/brand", methods=["GET", "POST"])
@approved_producer_required
def brand():
    producer = g.producer
    form = BrandForm(obj=producer)
    if form.validate_on_submit():
        try:
            services.update_brand(
                producer,
                services.Brand(
                    shop_name=form.shop_name.data,
                    tagline=form.tagline.data or "",
                    story=form.story.data or "",
                    color_primary=form.color_primary.data,
                    color_secondary=form.color_secondary.data,
                    logo=read_upload(form.logo.data),
                    banner=read_upload(form.banner.data),
                ),
            )
        except ImageRejected as exc:
            field = form.logo if form.logo.data and form.logo.data.filename else form.banner
            field.errors.append(rejection_message(exc.code))
        else:
            flash(_("Your shop's brand was saved."), "success")
            return redirect(url_for("producers.brand"), 303)
    return render_template("producers/brand.html", form=form, producer=producer), _status(form)


@bp.route("/producer/cooperative", methods=["GET", "POST"])
@approved_producer_required
def cooperative():
    producer = g.producer
    form = JoinCooperativeForm()
    _fill_choices(form)
    pending = queries.pending_membership(producer)
    if form.validate_on_submit():
        if form.cooperative_id.data is None:
            form.cooperative_id.errors.append(_("Choose a cooperative."))
        else:
            try:
                services.request_membership(producer, form.cooperative_id.data)
            except services.ProducerError:
                form.cooperative_id.errors.append(_("You cannot ask to join this cooperative now."))
            else:
                flash(_("Your request was sent to the cooperative's managers."), "success")
                return redirect(url_for("producers.cooperative"), 303)
    return render_template(
        "producers/cooperative.html", form=form, producer=producer, pending=pending
    ), _status(form)


def _listing_data(form: ListingForm) -> listings.ListingData:
    return listings.ListingData(
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
            listings.create_listing(g.producer, _listing_data(form), read_uploads(form.photos.data))
        except ImageRejected as exc:
            form.photos.errors.append(rejection_message(exc.code))
        except listings.TooManyPhotos:
            form.photos.errors.append(_("A listing can have at most 8 photos."))
        except listings.UnknownCategory:
            form.category_id.errors.append(_("Choose a category from the list."))
        else:
            flash(_("Your listing was saved and is waiting for review."), "success")
            return redirect(url_for("producers.dashboard"), 303)
    return render_template("producers/listing_form.html", form=form, product=None), _status(form)


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
            listings.update_listing(g.producer, product, _listing_data(form))
        except listings.UnknownCategory:
            form.category_id.errors.append(_("Choose a category from the list."))
        else:
            flash(_("Your changes were saved and are waiting for review."), "success")
            return redirect(url_for("producers.edit_listing", product_id=product.id), 303)
    return render_template(
        "producers/listing_form.html",
        form=form,
        product=product,
        photos_form=PhotosForm(),
        action_form=ActionForm(),
    ), _status(form)


def _listing_action(product_id: int, operation, message: str):
    product = _own_listing_or_404(product_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        operation(g.producer, product)
    except ValueError:
        flash(_("That cannot be done to this listing now."), "warning")
        return redirect(url_for("producers.dashboard"), 303)
    flash(message, "success")
    return redirect(url_for("producers.dashboard"), 303)


@bp.post("/producer/listings/<int:product_id>/pause")
@approved_producer_required
def pause_listing(product_id: int):
    return _listing_action(product_id, listings.pause_listing, _("The listing is paused."))


@bp.post("/producer/listings/<int:product_id>/resume")
@approved_producer_required
def resume_listing(product_id: int):
    return _listing_action(product_id, listings.resume_listing, _("The listing is on sale again."))


@bp.post("/producer/listings/<int:product_id>/delete")
@approved_producer_required
def delete_listing(product_id: int):
    return _listing_action(product_id, listings.delete_listing, _("The listing was deleted."))


@bp.post("/producer/listings/<int:product_id>/photos")
@approved_producer_required
def add_photos(product_id: int):
    product = _own_listing_or_404(product_id)
    form = PhotosForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        uploads = read_uploads(form.photos.data)
        if not uploads:
            flash(_("Choose at least one photo."), "warning")
            return redirect(url_for("producers.edit_listing", product_id=product.id), 303)
        listings.add_photos(g.producer, product, uploads)
    except ImageRejected as exc:
        flash(rejection_message(exc.code), "danger")
        return redirect(url_for("producers.edit_listing", product_id=product.id), 303)
    except listings.TooManyPhotos:
        flash(_("A listing can have at most 8 photos."), "danger")
        return redirect(url_for("producers.edit_listing", product_id=product.id), 303)
    flash(_("The photos were added; the listing is waiting for review."), "success")
    return redirect(url_for("producers.edit_listing", product_id=product.id), 303)


@bp.post("/producer/listings/<int:product_id>/photos/<int:photo_id>/delete")
@approved_producer_required
def remove_photo(product_id: int, photo_id: int):
    product = _own_listing_or_404(product_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        listings.remove_photo(g.producer, product, photo_id)
    except listings.NotAllowed:
        abort(404)
    flash(_("The photo was removed."), "success")
    return redirect(url_for("producers.edit_listing", product_id=product.id), 303)


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
        listings.move_photo(g.producer, product, photo_id, -1 if direction == "earlier" else 1)
    except listings.NotAllowed:
        abort(404)
    return redirect(url_for("producers.edit_listing", product_id=product.id), 303)


@bp.get("/shops/<slug>")
def shop(slug: str):
    producer = queries.get_public_producer(slug)
    if producer is None:
        abort(404)
    sort = sort_argument()
    page = catalog_queries.list_products(
        producer=producer,
        sort=sort,
        page=page_argument(),
        per_page=current_app.config["SHOP_PAGE_SIZE"],
    )
    return render_template("producers/shop.html", producer=producer, page=page, sort=sort)
