"""Cooperative and centre pages, and the managers' page for requests to join."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.accounts.models import Role
from shop.accounts.session import role_required
from shop.cooperatives import queries, services
from shop.database import transaction
from shop.errors import IllegalTransition, NotAllowed
from shop.forms import ActionForm, ReasonForm
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
    cooperatives = queries.managed_cooperatives(current_user)
    requests = queries.list_requests([c.id for c in cooperatives])
    return render_template(
        "cooperatives/manage.html",
        cooperatives=cooperatives,
        requests=requests,
        action_form=ActionForm(),
        reason_form=ReasonForm(),
    )


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
    return redirect(url_for("cooperatives.manage"), 303)
