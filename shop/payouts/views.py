"""The admin's payout batches: run one, look at it, download its bank file, confirm it as paid
or cancel it."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.accounts.models import Role
from shop.accounts.session import role_required
from shop.database import transaction
from shop.errors import DomainError, IllegalTransition
from shop.forms import ActionForm
from shop.i18n import format_money
from shop.payouts import queries, services
from shop.payouts.bank_file import bank_file
from shop.payouts.forms import ConfirmBatchForm
from shop.web import page_argument

bp = Blueprint("payouts", __name__, url_prefix="/admin/payouts")


@bp.before_request
@role_required(Role.ADMIN)
def require_admin():
    return None


def _batches_page(status: int = 200):
    return render_template(
        "payouts/batches.html",
        page=queries.list_batches(page_argument()),
        due=services.due_now(),
        minimum=current_app.config["SHOP_PAYOUT_MINIMUM"],
        form=ActionForm(),
    ), status


@bp.get("/")
def batches():
    return _batches_page()


@bp.post("/")
def run():
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        with transaction():
            batch = services.run_batch(current_user)
    except DomainError as error:
        flash(str(error), "error")
        return _batches_page(409 if isinstance(error, services.BatchRunning) else 400)
    flash(_("The batch was made. Download its bank file, then confirm it once paid."), "success")
    return redirect(url_for("payouts.batch", batch_id=batch.id), 303)


def _batch_or_404(batch_id: int):
    batch = queries.get_batch(batch_id)
    if batch is None:
        abort(404)
    return batch


def _batch_page(batch_id: int, confirm_form=None, status: int = 200):
    batch = _batch_or_404(batch_id)
    if confirm_form is None:
        confirm_form = ConfirmBatchForm(formdata=None, total=batch.total)
    return render_template(
        "payouts/batch.html",
        batch=batch,
        confirm_form=confirm_form,
        cancel_form=ActionForm(),
    ), status


@bp.get("/<int:batch_id>")
def batch(batch_id: int):
    return _batch_page(batch_id)


@bp.get("/<int:batch_id>/bank.csv")
def bank_csv(batch_id: int):
    batch = _batch_or_404(batch_id)
    if batch.currency != "IRR":
        abort(404)
    return Response(
        bank_file(batch),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{batch.reference}.csv"'},
    )


@bp.post("/<int:batch_id>/confirm")
def confirm(batch_id: int):
    _batch_or_404(batch_id)
    form = ConfirmBatchForm()
    if not form.validate_on_submit():
        return _batch_page(batch_id, form, 400)
    try:
        with transaction():
            batch = services.confirm_batch(batch_id, current_user, form.total.data)
    except DomainError as error:
        flash(str(error), "error")
        return _batch_page(batch_id, status=409 if isinstance(error, IllegalTransition) else 400)
    flash(_("The batch was confirmed: %(total)s paid.", total=format_money(batch.total)), "success")
    return redirect(url_for("payouts.batch", batch_id=batch_id), 303)


@bp.post("/<int:batch_id>/cancel")
def cancel(batch_id: int):
    _batch_or_404(batch_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        with transaction():
            services.cancel_batch(batch_id, current_user)
    except DomainError as error:
        flash(str(error), "error")
        return _batch_page(batch_id, status=409)
    flash(_("The batch was cancelled; nobody in it was paid."), "success")
    return redirect(url_for("payouts.batches"), 303)
