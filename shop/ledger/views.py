"""Earnings pages: a producer's sales, fees and balances with a monthly chart, and their Sheba;
the admin's trial balance."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.accounts.models import Role
from shop.accounts.session import role_required
from shop.database import transaction, utcnow
from shop.errors import DomainError
from shop.forms import show_error
from shop.i18n import current_language, format_money
from shop.ledger import queries
from shop.ledger.chart import bar_chart_svg, jalali_months
from shop.ledger.forms import ShebaForm
from shop.ledger.models import producer_account
from shop.ledger.services import set_producer_sheba
from shop.ledger.sheba import bank_name, format_sheba
from shop.producers.access import approved_producer_required

bp = Blueprint("ledger", __name__)


def monthly_chart(account: str, title: str):
    now = utcnow()
    earned = queries.earned_over_time(account, now - timedelta(days=380))
    points = jalali_months(earned, now=now, zone=current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return bar_chart_svg(
        points, title=title, language=current_language(), format_amount=format_money
    )


@bp.route("/producer/earnings", methods=["GET", "POST"])
@approved_producer_required
def producer_earnings():
    producer = g.producer
    form = ShebaForm()
    status = 200
    if form.validate_on_submit():
        try:
            with transaction():
                set_producer_sheba(producer, form.sheba.data, current_user)
        except DomainError as error:
            show_error(form, error, default_field="sheba")
            status = 400
        else:
            flash(_("Your Sheba number was saved."), "success")
            return redirect(url_for("ledger.producer_earnings"), 303)
    elif request.method == "POST":
        status = 400
    return render_template(
        "ledger/producer_earnings.html",
        producer=producer,
        form=form,
        earnings=queries.producer_earnings(producer.id),
        lines=queries.sold_lines_listed(producer.id),
        chart=monthly_chart(producer_account(producer.id), _("Your earnings per month")),
        sheba=format_sheba(producer.sheba) if producer.sheba else "",
        bank=bank_name(producer.sheba, current_language()) if producer.sheba else None,
        hold_days=current_app.config["SHOP_PAYOUT_HOLD_DAYS"],
    ), status


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
