"""A producer's pages: applying, the dashboard, the brand, joining a cooperative; the shop."""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from shop.database import transaction
from shop.errors import DomainError
from shop.forms import ActionForm, show_error
from shop.listings.models import ProductStatus
from shop.listings.queries import list_own_products
from shop.media.uploads import read_upload
from shop.producers import queries, services
from shop.producers.access import approved_producer_required
from shop.producers.forms import ApplyForm, BrandForm, JoinCooperativeForm
from shop.producers.models import ProducerStatus
from shop.web import products_page

bp = Blueprint("producers", __name__)


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


def _status() -> int:
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
            with transaction():
                services.apply_as_producer(
                    current_user._get_current_object(),
                    services.Application(
                        shop_name=form.shop_name.data,
                        city=form.city.data,
                        neighbourhood=form.neighbourhood.data or "",
                        centre_id=form.centre_id.data,
                        cooperative_id=form.cooperative_id.data,
                        certificate=read_upload(form.certificate.data, "certificate"),
                    ),
                )
        except DomainError as exc:
            show_error(form, exc, default_field="shop_name")
        else:
            flash(_("Thank you! Your application was sent and will be reviewed soon."), "success")
            return redirect(url_for("producers.dashboard"), 303)
    return render_template("producers/apply.html", form=form, producer=producer), _status()


@bp.get("/producer/")
@login_required
def dashboard():
    if current_user.producer is None:
        return redirect(url_for("producers.apply"))
    return render_dashboard()


def render_dashboard(status: int = 200):
    """The signed-in producer's dashboard (also shown, with a 4xx, when an action on a
    listing was refused)."""
    producer = current_user.producer
    products = list_own_products(producer) if producer.is_approved else []
    return render_template(
        "producers/dashboard.html",
        producer=producer,
        products=products,
        action_form=ActionForm(),
        ProductStatus=ProductStatus,
    ), status


@bp.route("/producer/brand", methods=["GET", "POST"])
@approved_producer_required
def brand():
    producer = g.producer
    form = BrandForm(obj=producer)
    if form.validate_on_submit():
        try:
            with transaction():
                services.update_brand(
                    producer,
                    services.Brand(
                        shop_name=form.shop_name.data,
                        tagline=form.tagline.data or "",
                        story=form.story.data or "",
                        color_primary=form.color_primary.data,
                        color_secondary=form.color_secondary.data,
                        logo=read_upload(form.logo.data, "logo"),
                        banner=read_upload(form.banner.data, "banner"),
                    ),
                )
        except DomainError as exc:
            show_error(form, exc)
        else:
            flash(_("Your shop's brand was saved."), "success")
            return redirect(url_for("producers.brand"), 303)
    return render_template("producers/brand.html", form=form, producer=producer), _status()


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
                with transaction():
                    services.request_membership(producer, form.cooperative_id.data)
            except DomainError as exc:
                show_error(form, exc, default_field="cooperative_id")
            else:
                flash(_("Your request was sent to the cooperative's managers."), "success")
                return redirect(url_for("producers.cooperative"), 303)
    return render_template(
        "producers/cooperative.html", form=form, producer=producer, pending=pending
    ), _status()


@bp.get("/shops/<slug>")
def shop(slug: str):
    producer = queries.get_public_producer(slug)
    if producer is None:
        abort(404)
    page, sort = products_page(producer=producer)
    return render_template("producers/shop.html", producer=producer, page=page, sort=sort)
