"""A cooperative's sales reports: the page, its exports and the printable monthly statement."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import login_required

from shop.cooperatives.access import managed_or_404
from shop.database import utcnow
from shop.forms import show_error
from shop.i18n import current_language, format_money, format_number, is_persian
from shop.ledger.chart import bar_chart_svg
from shop.money import amount_to_display_text, get_currency, to_persian_digits
from shop.reports import cooperative as reports
from shop.reports.exports import Money, download
from shop.reports.forms import PeriodForm, period_query
from shop.reports.periods import InvalidPeriod, period_from_args

bp = Blueprint("reports", __name__)

EXPORT_KINDS = ("csv", "xlsx")


def money_number(amount: int) -> str:
    """An amount in the display unit without the unit's name (the column's heading says
    it): ``۱۲٬۳۴۵٫۵`` or ``12,345.5``."""
    text = amount_to_display_text(int(amount), get_currency(current_app.config["SHOP_CURRENCY"]))
    sign, text = ("−", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = text.partition(".")
    persian = is_persian()
    number = f"{int(whole):,}".replace(",", "٬" if persian else ",")
    if fraction:
        number += ("٫" if persian else ".") + fraction
    number = sign + number
    return to_persian_digits(number) if persian else number


def whole_units(amount: int) -> str:
    """A chart's gridline value, rounded down to a whole toman (or dollar)."""
    factor = get_currency(current_app.config["SHOP_CURRENCY"]).display_factor
    return format_money(int(amount) // factor * factor)


def cell_text(value) -> str:
    """A sheet's cell as the page shows it."""
    if value is None:
        return ""
    if isinstance(value, Money):
        return money_number(value.amount)
    if isinstance(value, int) and not isinstance(value, bool):
        return format_number(value)
    return str(value)


def _zone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def _read_period(default: str = "this_month"):
    """The period the query string asks for and the picker showing it; the period is None
    (and the picker says why) when it is not one."""
    form = PeriodForm(formdata=request.args)
    if not request.args.get("period"):
        form.period.data = default
    try:
        period = period_from_args(request.args, utcnow(), _zone(), default=default)
    except InvalidPeriod as error:
        show_error(form, error, default_field="period")
        return form, None
    form.fill(period)
    return form, period


def _report_page(cooperative, form, period):
    """The report page, or the picker with its error (400) when the period is not one."""
    if period is None:
        return render_template(
            "reports/cooperative.html", cooperative=cooperative, period_form=form, report=None
        ), 400
    language = current_language()
    report = reports.cooperative_report(cooperative.id, period)
    query = period_query(request.args)
    return render_template(
        "reports/cooperative.html",
        cooperative=cooperative,
        period_form=form,
        report=report,
        period_name=reports.period_label(period, language),
        previous_name=reports.period_label(period.previous(), language),
        totals=report.totals,
        previous=report.previous,
        change=reports.change_percent,
        sheets=reports.report_sheets(report, language),
        cell=cell_text,
        sales_chart=bar_chart_svg(
            report.month_totals("sales"),
            title=_("Sales per month"),
            language=language,
            format_amount=format_money,
            format_label=whole_units,
            id_prefix="sales-chart",
        ),
        commission_chart=bar_chart_svg(
            report.month_totals("commission"),
            title=_("Commission per month"),
            language=language,
            format_amount=format_money,
            format_label=whole_units,
            id_prefix="commission-chart",
        ),
        query=query,
    ), 200


@bp.get("/cooperative/<int:cooperative_id>/reports")
@login_required
def cooperative(cooperative_id: int):
    cooperative = managed_or_404(cooperative_id)
    form, period = _read_period()
    return _report_page(cooperative, form, period)


def export_name(cooperative, period) -> str:
    """``cooperative-<slug>-<period>``, ASCII only: a Persian slug gives way to the id."""
    slug = cooperative.slug
    if not (slug.isascii() and slug.replace("-", "").isalnum()):
        slug = str(cooperative.id)
    return f"cooperative-{slug}-{period.key}"


@bp.get("/cooperative/<int:cooperative_id>/reports.<kind>")
@login_required
def export(cooperative_id: int, kind: str):
    cooperative = managed_or_404(cooperative_id)
    if kind not in EXPORT_KINDS:
        abort(404)
    form, period = _read_period()
    if period is None:
        return _report_page(cooperative, form, period)
    language = current_language()
    report = reports.cooperative_report(cooperative.id, period)
    return download(
        reports.report_sheets(report, language),
        export_name(cooperative, period),
        kind,
        rtl=language == "fa",
    )


@bp.get("/cooperative/<int:cooperative_id>/statement")
@login_required
def statement(cooperative_id: int):
    cooperative = managed_or_404(cooperative_id)
    form, period = _read_period(default="month" if request.args.get("month") else "last_month")
    if period is None:
        return render_template(
            "reports/statement.html", cooperative=cooperative, period_form=form, pages=None
        ), 400
    language = current_language()
    pages = [
        (page, reports.statement_sheets(page, language))
        for page in reports.monthly_statements(cooperative.id, period)
    ]
    return render_template(
        "reports/statement.html",
        cooperative=cooperative,
        period_form=form,
        period=period,
        period_name=reports.period_label(period, language),
        pages=pages,
        month_label=reports.month_label,
        date_label=reports.date_label,
        language=language,
        cell=cell_text,
        made_at=utcnow(),
        query=period_query(request.args),
    )
