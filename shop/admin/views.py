"""The programme admin's pages: approvals, moderation, centres and cooperatives."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.accounts.models import Role
from shop.accounts.session import role_required
from shop.admin import queries
from shop.admin.forms import ApproveProducerForm, CentreForm, CooperativeForm
from shop.cooperatives import services as cooperatives
from shop.database import transaction
from shop.errors import DomainError, IllegalTransition
from shop.extensions import db
from shop.forms import ReasonForm, show_error
from shop.listings import queries as listing_queries
from shop.listings import services as listings
from shop.listings.forms import RejectRevisionForm, ReviewForm
from shop.listings.models import Product
from shop.producers import services as producers
from shop.producers.models import Producer

bp = Blueprint("admin", __name__, url_prefix="/admin")

admin_required = role_required(Role.ADMIN)


@bp.before_request
@admin_required
def require_admin():
    return None


@bp.get("/")
def dashboard():
    counts = queries.moderation_counts()
    return render_template("admin/dashboard.html", counts=counts)


@bp.get("/producers")
def producer_queue():
    applications = queries.list_producer_applications()
    return render_template(
        "admin/producers.html",
        applications=applications,
        approve_form=ApproveProducerForm(),
        reason_form=ReasonForm(),
    )


def _producer_or_404(producer_id: int) -> Producer:
    producer = db.session.get(Producer, producer_id)
    if producer is None:
        abort(404)
    return producer


@bp.post("/producers/<int:producer_id>/approve")
def approve_producer(producer_id: int):
    producer = _producer_or_404(producer_id)
    form = ApproveProducerForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        with transaction():
            producers.approve_producer(
                producer, certificate_verified=form.certificate_verified.data
            )
    except IllegalTransition:
        flash(_("This application was already decided."), "warning")
    else:
        flash(_("%(shop)s is approved.", shop=producer.shop_name), "success")
    return redirect(url_for("admin.producer_queue"), 303)


@bp.post("/producers/<int:producer_id>/reject")
def reject_producer(producer_id: int):
    producer = _producer_or_404(producer_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Write the reason, so the person knows what to change."), "danger")
        return redirect(url_for("admin.producer_queue"), 303)
    try:
        with transaction():
            producers.reject_producer(producer, form.reason.data)
    except IllegalTransition:
        flash(_("This application was already decided."), "warning")
    else:
        flash(_("The application was rejected."), "success")
    return redirect(url_for("admin.producer_queue"), 303)


@bp.get("/listings")
def listing_queue(status: int = 200):
    revisions = listing_queries.list_waiting_revisions()
    return render_template(
        "admin/listings.html",
        revisions=revisions,
        changes={r.id: listing_queries.changes(r) for r in revisions},
        approve_form=ReviewForm(),
        reason_form=RejectRevisionForm(),
    ), status


def _product_or_404(product_id: int) -> Product:
    product = db.session.get(Product, product_id)
    if product is None:
        abort(404)
    return product


def _decide(product_id: int, form: ReviewForm, decide, message):
    """Apply an admin's decision on the revision (and version) the form names."""
    product = _product_or_404(product_id)
    if not form.validate_on_submit() or form.named_version() is None:
        if isinstance(form, RejectRevisionForm) and form.named_version() is not None:
            flash(_("Write the reason, so the person knows what to change."), "danger")
            return listing_queue(400)
        abort(400)
    revision_id, version = form.named_version()
    try:
        with transaction():
            revision = decide(product, revision_id, version)
            title = revision.title
    except listings.StaleRevision as exc:
        # Refused: the admin did not see what is waiting now. Show them the queue as it is.
        flash(str(exc), "warning")
        return listing_queue(409)
    flash(message(title), "success")
    return redirect(url_for("admin.listing_queue"), 303)


@bp.post("/listings/<int:product_id>/approve")
def approve_listing(product_id: int):
    reviewer = current_user._get_current_object()
    return _decide(
        product_id,
        ReviewForm(),
        lambda product, revision_id, version: listings.approve_revision(
            product, revision_id, version, reviewer
        ),
        lambda title: _("“%(title)s” is approved; buyers see this version now.", title=title),
    )


@bp.post("/listings/<int:product_id>/reject")
def reject_listing(product_id: int):
    reviewer = current_user._get_current_object()
    form = RejectRevisionForm()
    return _decide(
        product_id,
        form,
        lambda product, revision_id, version: listings.reject_revision(
            product, revision_id, version, form.reason.data, reviewer
        ),
        lambda title: _("“%(title)s” was sent back with your reason.", title=title),
    )


@bp.route("/centres", methods=["GET", "POST"])
def centres():
    form = CentreForm()
    if form.validate_on_submit():
        with transaction():
            cooperatives.create_centre(
                cooperatives.CentreData(
                    name=form.name.data,
                    city=form.city.data,
                    neighbourhood=form.neighbourhood.data or "",
                    description=form.description.data or "",
                )
            )
        flash(_("The centre was created."), "success")
        return redirect(url_for("admin.centres"), 303)
    rows = queries.list_centres()
    status = 400 if request.method == "POST" else 200
    return render_template("admin/centres.html", form=form, centres=rows), status


@bp.route("/cooperatives", methods=["GET", "POST"])
def cooperatives_page():
    form = CooperativeForm()
    if form.validate_on_submit():
        try:
            with transaction():
                cooperatives.create_cooperative(
                    cooperatives.CooperativeData(
                        name=form.name.data,
                        city=form.city.data,
                        neighbourhood=form.neighbourhood.data or "",
                        tagline=form.tagline.data or "",
                        story=form.story.data or "",
                        commission_bp=form.commission_bp.data,
                        manager_email=form.manager_email.data or None,
                        is_verified=form.is_verified.data,
                    )
                )
        except DomainError as exc:
            show_error(form, exc)
        else:
            flash(_("The cooperative was created."), "success")
            return redirect(url_for("admin.cooperatives_page"), 303)
    rows = queries.list_cooperatives()
    status = 400 if request.method == "POST" else 200
    return render_template("admin/cooperatives.html", form=form, cooperatives=rows), status


#: Orders on one page of the admin's order list.
ORDERS_PER_PAGE = 25


@bp.get("/orders")
def orders():
    """Every order, or those whose number, buyer or shop contains ``q``."""
    from shop.orders.queries import search_orders
    from shop.web import page_argument

    text = (request.args.get("q") or "")[:100]
    page = search_orders(text, page_argument(), ORDERS_PER_PAGE)
    return render_template("admin/orders.html", page=page, q=text)


#: Payments on one page of the admin's payment list.
PAYMENTS_PER_PAGE = 30


def _payments_page(form=None, status: int = 200):
    import secrets

    from shop.payments.forms import RefundForm
    from shop.payments.queries import (
        flagged_orders,
        list_payments,
        recent_events,
        waiting_returns,
    )
    from shop.web import page_argument

    chosen = (request.args.get("status") or "")[:20]
    page = list_payments(page_argument(), PAYMENTS_PER_PAGE, chosen)
    blank = RefundForm(formdata=None)
    blank.key.data = secrets.token_urlsafe(16)
    return (
        render_template(
            "admin/payments.html",
            page=page,
            chosen=chosen,
            flagged=flagged_orders(),
            events=recent_events(),
            returns=waiting_returns(),
            form=blank,
            failed_form=form,
        ),
        status,
    )


@bp.get("/payments")
def payments():
    """Every payment with its provider, reference, amount, status and refunds; orders flagged
    for a look; the providers' latest events."""
    return _payments_page()


@bp.post("/payments/<int:payment_id>/refund")
def refund(payment_id: int):
    """Give back all or part of a captured payment (once per form shown)."""
    from shop.i18n import format_money
    from shop.payments import refunds
    from shop.payments.forms import RefundForm
    from shop.payments.models import Payment

    if db.session.get(Payment, payment_id) is None:
        abort(404)
    form = RefundForm()
    if not form.validate_on_submit() or not (form.key.data or "").strip():
        form.failed_payment_id = payment_id
        return _payments_page(form, 400)
    try:
        done = refunds.refund_payment(
            payment_id,
            form.amount.data,
            f"admin-{payment_id}-{form.key.data.strip()[:40]}",
            form.reason.data,
            by=current_user,
        )
    except refunds.RefundFailed as error:
        flash(str(error), "error")
        return _payments_page(status=502)
    except DomainError as error:
        form.failed_payment_id = payment_id
        show_error(form, error)
        return _payments_page(form, 409)
    if done.by_hand:
        flash(
            _("Recorded: pay %(amount)s back by hand.", amount=format_money(done.amount)), "warning"
        )
    else:
        flash(_("%(amount)s was given back.", amount=format_money(done.amount)), "success")
    return redirect(url_for("admin.payments"), 303)


def _return_or_404(request_id: int):
    from shop.orders.models import ReturnRequest

    found = db.session.get(ReturnRequest, request_id)
    if found is None:
        abort(404)
    return found


@bp.post("/returns/<int:request_id>/approve")
def approve_return(request_id: int):
    """An admin approves a buyer's return (and the money goes back)."""
    from shop.forms import ActionForm
    from shop.orders import returns
    from shop.orders.views import refund_return

    found = _return_or_404(request_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        with transaction():
            returns.approve_return(current_user, found, bool(request.form.get("goods_back")))
    except DomainError as error:
        flash(str(error), "error")
    else:
        refund_return(request_id)
    return redirect(url_for("admin.payments"), 303)


@bp.post("/returns/<int:request_id>/refuse")
def refuse_return(request_id: int):
    from shop.orders import returns

    found = _return_or_404(request_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Write the reason, so the person knows what to change."), "error")
        return redirect(url_for("admin.payments"), 303)
    try:
        with transaction():
            returns.refuse_return(current_user, found, form.reason.data)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("The return is refused; the buyer is told why."), "success")
    return redirect(url_for("admin.payments"), 303)
