"""Cooperative and centre pages; a cooperative's dashboard for its managers: member
producers, requests to join and the brand page."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from shop.accounts.models import Role
from shop.accounts.session import role_required
from shop.cooperatives import queries, services
from shop.cooperatives.access import managed_or_404
from shop.cooperatives.forms import CooperativeBrandForm, RemoveMemberForm
from shop.database import transaction
from shop.errors import DomainError, IllegalTransition, NotAllowed
from shop.extensions import db
from shop.forms import ActionForm, show_error
from shop.i18n import current_language, digits
from shop.ledger.chart import month_name
from shop.media.uploads import read_upload
from shop.producers.models import Producer
from shop.web import products_page

bp = Blueprint("cooperatives", __name__)


@bp.get("/cooperatives/<slug>")
def cooperative(slug: str):
    cooperative = queries.get_cooperative(slug)
    if cooperative is None:
        abort(404)
    page, sort = products_page(cooperative_id=cooperative.id)
    members = queries.approved_members(cooperative_id=cooperative.id)
    return render_template(
        "cooperatives/cooperative.html",
        cooperative=cooperative,
        members=members,
        page=page,
        sort=sort,
    )


@bp.get("/centres/<slug>")
def centre(slug: str):
    centre = queries.get_centre(slug)
    if centre is None:
        abort(404)
    page, sort = products_page(centre_id=centre.id)
    members = queries.approved_members(centre_id=centre.id)
    return render_template(
        "cooperatives/centre.html", centre=centre, members=members, page=page, sort=sort
    )


@bp.get("/cooperative/manage")
@role_required(Role.COOPERATIVE_MANAGER)
def manage():
    """The manager's cooperatives: straight to the dashboard of the only one, else a list."""
    cooperatives = queries.managed_cooperatives(current_user)
    if len(cooperatives) == 1:
        return redirect(url_for("cooperatives.dashboard", cooperative_id=cooperatives[0].id), 303)
    return render_template(
        "cooperatives/manage.html",
        cooperatives=cooperatives,
        waiting=queries.pending_request_counts([c.id for c in cooperatives]),
    )


def render_dashboard(cooperative, status: int = 200, failed: tuple | None = None):
    """The cooperative's dashboard (also shown, with a 4xx, when an action on it was refused:
    ``failed`` is (producer id, the removal form with its errors))."""
    members = queries.list_members(cooperative.id)
    remove_forms = {
        member.producer.id: RemoveMemberForm(formdata=None, prefix=f"m{member.producer.id}")
        for member in members
    }
    if failed is not None and failed[0] in remove_forms:
        remove_forms[failed[0]] = failed[1]
    figures = queries.headline_figures(cooperative.id)
    return render_template(
        "cooperatives/dashboard.html",
        cooperative=cooperative,
        figures=figures,
        month_label=(
            f"{month_name(figures.month.month, current_language())} {digits(figures.month.year)}"
        ),
        members=members,
        remove_forms=remove_forms,
        requests=queries.list_requests([cooperative.id]),
        may_decide=services.is_manager(current_user, cooperative),
    ), status


@bp.get("/cooperative/<int:cooperative_id>/")
@login_required
def dashboard(cooperative_id: int):
    return render_dashboard(managed_or_404(cooperative_id))


@bp.post("/cooperative/<int:cooperative_id>/members/<int:producer_id>/remove")
@login_required
def remove_member(cooperative_id: int, producer_id: int):
    cooperative = managed_or_404(cooperative_id)
    producer = db.session.get(Producer, producer_id)
    if producer is None or producer.cooperative_id != cooperative.id:
        abort(404)
    form = RemoveMemberForm(prefix=f"m{producer.id}")
    if not form.validate_on_submit():
        return render_dashboard(cooperative, 400, failed=(producer.id, form))
    shop_name = producer.shop_name
    try:
        with transaction():
            services.remove_member(
                cooperative, producer, current_user._get_current_object(), form.reason.data or ""
            )
    except DomainError as error:
        flash(str(error), "warning")
        return render_dashboard(cooperative, 409)
    flash(_("%(shop)s is no longer a member of the cooperative.", shop=shop_name), "success")
    return redirect(url_for("cooperatives.dashboard", cooperative_id=cooperative.id), 303)


@bp.route("/cooperative/<int:cooperative_id>/brand", methods=["GET", "POST"])
@login_required
def brand(cooperative_id: int):
    cooperative = managed_or_404(cooperative_id)
    form = CooperativeBrandForm(obj=cooperative)
    if form.validate_on_submit():
        try:
            with transaction():
                services.update_cooperative_brand(
                    cooperative,
                    current_user._get_current_object(),
                    services.CooperativeBrand(
                        tagline=form.tagline.data or "",
                        story=form.story.data or "",
                        color_primary=form.color_primary.data,
                        color_secondary=form.color_secondary.data,
                        logo=read_upload(form.logo.data, "logo"),
                        banner=read_upload(form.banner.data, "banner"),
                    ),
                )
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The cooperative's brand was saved."), "success")
            return redirect(url_for("cooperatives.brand", cooperative_id=cooperative.id), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("cooperatives/brand.html", form=form, cooperative=cooperative), status


@bp.post("/cooperative/requests/<int:request_id>/<decision>")
@role_required(Role.COOPERATIVE_MANAGER)
def decide(request_id: int, decision: str):
    if decision not in ("accept", "refuse"):
        abort(404)
    membership = queries.get_request_for_manager(request_id, current_user)
    if membership is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    reason = (request.form.get("reason") or "").strip()[:500]
    try:
        with transaction():
            services.decide_membership(
                membership, current_user._get_current_object(), decision == "accept", reason
            )
    except IllegalTransition:
        flash(_("This request was already decided."), "warning")
    except NotAllowed:
        abort(404)
    else:
        flash(
            _("The producer is now a member.")
            if decision == "accept"
            else _("The request was refused."),
            "success",
        )
    # Back to the dashboard the request was decided from: the request's own cooperative's.
    return redirect(
        url_for("cooperatives.dashboard", cooperative_id=membership.cooperative_id), 303
    )
