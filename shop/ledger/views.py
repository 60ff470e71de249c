"""Earnings pages: a producer's sales, fees and balances with a monthly chart, and their Sheba;
the admin's trial balance."""

from __future__ import annotations

from datetime import timedelta

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

from shop.accounts.models import Role
from shop.accounts.session import role_required
from shop.admin.queries import list_cooperatives
from shop.cooperatives.access import managed_or_404
from shop.cooperatives.models import Cooperative
from shop.database import transaction, utcnow
from shop.errors import DomainError
from shop.extensions import db
from shop.forms import show_error
from shop.i18n import current_language, format_basis_points, format_money
from shop.ledger import fees, queries
from shop.ledger.chart import bar_chart_svg, jalali_months
from shop.ledger.forms import CommissionBoundsForm, CommissionRateForm, ShebaForm
from shop.ledger.models import cooperative_account, producer_account
from shop.ledger.services import set_cooperative_sheba, set_producer_sheba
from shop.ledger.sheba import bank_name, format_sheba
from shop.payouts.queries import payouts_received
from shop.producers.access import approved_producer_required

bp = Blueprint("ledger", __name__)
bp.add_app_template_filter(format_sheba, "sheba")


def monthly_chart(account: str, title: str):
    now = utcnow()
    earned = queries.earned_over_time(account, now - timedelta(days=380))
    points = jalali_months(earned, now=now, zone=current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return bar_chart_svg(
        points, title=title, language=current_language(), format_amount=format_money
    )


def _sheba_form(owner, save, saved: str, here: str):
    """The page's Sheba form for ``owner``: (form, status, redirect once saved or None)."""
    form = ShebaForm()
    if form.validate_on_submit():
        try:
            with transaction():
                save(owner, form.sheba.data, current_user)
        except DomainError as error:
            show_error(form, error, default_field="sheba")
            return form, 400, None
        flash(saved, "success")
        return form, 303, redirect(here, 303)
    return form, 400 if request.method == "POST" else 200, None


def _sheba_shown(owner) -> dict:
    """The owner's Sheba as the bank writes it, and its bank's name."""
    if not owner.sheba:
        return {"sheba": "", "bank": None}
    return {"sheba": format_sheba(owner.sheba), "bank": bank_name(owner.sheba, current_language())}


@bp.route("/producer/earnings", methods=["GET", "POST"])
@approved_producer_required
def producer_earnings():
    producer = g.producer
    form, status, done = _sheba_form(
        producer,
        set_producer_sheba,
        _("Your Sheba number was saved."),
        url_for("ledger.producer_earnings"),
    )
    if done is not None:
        return done
    return render_template(
        "ledger/producer_earnings.html",
        producer=producer,
        form=form,
        earnings=queries.producer_earnings(producer.id),
        lines=queries.sold_lines_listed(producer.id),
        payouts=payouts_received(producer_account(producer.id)),
        chart=monthly_chart(producer_account(producer.id), _("Your earnings per month")),
        **_sheba_shown(producer),
        hold_days=current_app.config["SHOP_PAYOUT_HOLD_DAYS"],
    ), status


@bp.route("/cooperative/<int:cooperative_id>/earnings", methods=["GET", "POST"])
@login_required
def cooperative_earnings(cooperative_id: int):
    cooperative = managed_or_404(cooperative_id)
    form, status, done = _sheba_form(
        cooperative,
        set_cooperative_sheba,
        _("The cooperative's Sheba number was saved."),
        url_for("ledger.cooperative_earnings", cooperative_id=cooperative.id),
    )
    if done is not None:
        return done
    account = cooperative_account(cooperative.id)
    return render_template(
        "ledger/cooperative_earnings.html",
        cooperative=cooperative,
        form=form,
        earnings=queries.cooperative_earnings(cooperative.id),
        lines=queries.commission_lines(cooperative.id),
        payouts=payouts_received(account),
        chart=monthly_chart(account, _("The cooperative's commission per month")),
        **_sheba_shown(cooperative),
        hold_days=current_app.config["SHOP_PAYOUT_HOLD_DAYS"],
    ), status


def _commissions_page(bounds_form=None, failed=None, status: int = 200):
    cooperatives = list_cooperatives()
    bounds = fees.commission_bounds()
    if bounds_form is None:
        bounds_form = CommissionBoundsForm(formdata=None, low=bounds[0], high=bounds[1])
    rate_forms = {}
    for cooperative in cooperatives:
        if failed is not None and failed[0] == cooperative.id:
            rate_forms[cooperative.id] = failed[1]
        else:
            rate_forms[cooperative.id] = CommissionRateForm(
                formdata=None, prefix=f"c{cooperative.id}", commission_bp=cooperative.commission_bp
            )
    return render_template(
        "ledger/commissions.html",
        cooperatives=cooperatives,
        bounds_form=bounds_form,
        rate_forms=rate_forms,
        bounds=bounds,
    ), status


@bp.get("/admin/commissions")
@role_required(Role.ADMIN)
def commissions():
    return _commissions_page()


@bp.post("/admin/commissions")
@role_required(Role.ADMIN)
def commission_bounds():
    form = CommissionBoundsForm()
    if not form.validate_on_submit():
        return _commissions_page(form, status=400)
    try:
        with transaction():
            fees.set_commission_bounds(form.low.data, form.high.data, current_user)
    except DomainError as error:
        show_error(form, error, default_field="high")
        return _commissions_page(form, status=400)
    flash(_("The commission bounds were saved."), "success")
    return redirect(url_for("ledger.commissions"), 303)


@bp.post("/admin/commissions/<int:cooperative_id>")
@role_required(Role.ADMIN)
def commission_rate(cooperative_id: int):
    cooperative = db.session.get(Cooperative, cooperative_id)
    if cooperative is None:
        abort(404)
    form = CommissionRateForm(prefix=f"c{cooperative_id}")
    if form.validate_on_submit():
        try:
            with transaction():
                fees.set_commission_rate(cooperative, form.commission_bp.data, current_user)
        except DomainError as error:
            show_error(form, error, default_field="commission_bp")
        else:
            flash(
                _(
                    "%(name)s now takes %(rate)s on orders placed from now on.",
                    name=cooperative.name,
                    rate=format_basis_points(form.commission_bp.data),
                ),
                "success",
            )
            return redirect(url_for("ledger.commissions"), 303)
    return _commissions_page(failed=(cooperative_id, form), status=400)


@bp.get("/admin/ledger")
@role_required(Role.ADMIN)
def trial_balance():
    accounts, total = queries.trial_balance()
    return render_template(
        "ledger/trial_balance.html",
        accounts=accounts,
        total=total,
        problems=queries.check_books(),
    )
