"""The programme's impact dashboard (admins and the programme role), its exports, the training
figures admins enter, and the public /impact page."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup

from shop.accounts.models import Role
from shop.accounts.session import any_role_required, role_required
from shop.database import transaction, utcnow
from shop.errors import DomainError, NotFound, error_response
from shop.forms import show_error
from shop.i18n import (
    current_language,
    digits,
    format_basis_points,
    format_money,
    format_number,
    isolate,
)
from shop.ledger.chart import MonthTotal, bar_chart_svg
from shop.reports import impact, services
from shop.reports.exports import Money, download
from shop.reports.forms import period_query
from shop.reports.impact_forms import (
    GrantForm,
    ImpactPeriodForm,
    RevokeForm,
    TrainingForm,
    TrainingImportForm,
    month_choices,
)
from shop.reports.periods import InvalidPeriod, format_jalali, month_of, period_from_args

bp = Blueprint("impact", __name__)

programme_required = any_role_required(Role.ADMIN, Role.PROGRAMME)
#: The largest training file accepted, in bytes (ten thousand rows fit in far less).
MAX_TRAINING_FILE_BYTES = 1024 * 1024


def _zone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def _period():
    return period_from_args(request.args, utcnow(), _zone(), default="this_year")


def display_cell(value) -> Markup:
    """A cell of a report's table as the page shows it (the exports write the same value)."""
    if value is None:
        return Markup(
            '<span aria-hidden="true">—</span><span class="visually-hidden">{}</span>'
        ).format(_("not applicable"))
    if isinstance(value, Money):
        return Markup("{}").format(format_money(value.amount))
    if isinstance(value, impact.Share):
        points = value.basis_points
        return Markup("{}").format("—" if points is None else format_basis_points(points))
    if isinstance(value, int) and not isinstance(value, bool):
        return Markup("{}").format(format_number(value))
    return Markup("<bdi>{}</bdi>").format(value)


def _count_chart(points, title: str):
    return bar_chart_svg(
        points,
        title=title,
        language=current_language(),
        format_amount=format_number,
    )


def _charts(figures: impact.ImpactFigures) -> list:
    language = current_language()

    def points(attribute: str) -> list[MonthTotal]:
        return [
            MonthTotal(row.month.year, row.month.month, getattr(row, attribute))
            for row in figures.trends
        ]

    return [
        _count_chart(points("registered"), _("Producers registered per month")),
        _count_chart(points("earning"), _("Producers earning per month")),
        bar_chart_svg(
            points("earned"),
            title=_("Income earned by producers per month"),
            language=language,
            format_amount=format_money,
        ),
        _count_chart(points("orders"), _("Orders per month")),
    ]


def _period_text(period) -> str:
    return digits(f"{format_jalali(period.first)} – {format_jalali(period.last)}")


@bp.get("/programme/impact")
@programme_required
def dashboard():
    form = ImpactPeriodForm(formdata=request.args)
    context = {"period_form": form, "cell": display_cell, "query": period_query(request.args)}
    try:
        period = _period()
    except InvalidPeriod as error:
        form.period.errors = [str(error)]
        return render_template("reports/impact.html", figures=None, **context), 400
    form.fill(period)
    figures = impact.impact_figures(period)
    return render_template(
        "reports/impact.html",
        figures=figures,
        sheets=impact.impact_sheets(figures, current_language()),
        charts=_charts(figures),
        period_text=_period_text(period),
        **context,
    )


@bp.get("/programme/impact.<kind>")
@programme_required
def export(kind: str):
    if kind not in ("csv", "xlsx"):
        abort(404)
    try:
        period = _period()
    except InvalidPeriod as error:
        return error_response(400, str(error))
    language = current_language()
    sheets = impact.impact_sheets(impact.impact_figures(period), language)
    return download(sheets, f"impact-{period.key}", kind, rtl=language == "fa")


# -- training figures ---------------------------------------------------------------------------


def _year_shown() -> int:
    """The Jalali year whose training figures are shown (``?year=``, else this one)."""
    text = request.args.get("year")
    if not text:
        return month_of(utcnow(), _zone()).year
    year = services.parse_whole_number(text)
    if year is None or not services.YEARS[0] <= year <= services.YEARS[1]:
        abort(400)
    return year


def _training_page(year: int, form=None, import_form=None, status: int = 200):
    centres = impact.list_centres()
    if form is None:
        form = TrainingForm(centres, formdata=None, year=year)
    if import_form is None:
        import_form = TrainingImportForm(formdata=None)
    return render_template(
        "reports/training.html",
        year=year,
        rows=impact.training_table(year),
        form=form,
        import_form=import_form,
        can_edit=current_user.is_admin,
        columns=services.COLUMNS,
        month_names=month_choices(),
        max_trained=services.MAX_TRAINED,
    ), status


@bp.route("/programme/training", methods=["GET", "POST"])
@programme_required
def training():
    year = _year_shown()
    if request.method == "GET":
        return _training_page(year)
    if not current_user.is_admin:  # the programme role reads, and changes nothing
        abort(403)
    action = request.form.get("action")
    if action == "set":
        return _set_training(year)
    if action == "import":
        return _import_training(year)
    abort(400)


def _set_training(year: int):
    form = TrainingForm(impact.list_centres())
    if not form.validate_on_submit():
        return _training_page(year, form=form, status=400)
    try:
        with transaction():
            services.set_training(
                form.centre_id.data,
                form.year.data,
                form.month.data,
                form.trained.data,
                current_user,
            )
    except DomainError as error:
        show_error(form, error, default_field="trained")
        return _training_page(year, form=form, status=400)
    flash(_("The training figure was saved."), "success")
    return redirect(url_for("impact.training", year=form.year.data), 303)


def _import_training(year: int):
    form = TrainingImportForm()
    if not form.validate_on_submit():
        return _training_page(year, import_form=form, status=400)
    data = form.file.data.read(MAX_TRAINING_FILE_BYTES + 1)
    if len(data) > MAX_TRAINING_FILE_BYTES:
        form.file.errors = [_("The file is too large: a training file may be at most 1 MB.")]
        return _training_page(year, import_form=form, status=400)
    try:
        with transaction():
            imported = services.import_training(data, current_user)
    except DomainError as error:
        show_error(form, error, default_field="file")
        return _training_page(year, import_form=form, status=400)
    flash(
        ngettext(
            "%(count)s training figure was imported.",
            "%(count)s training figures were imported.",
            imported,
            count=digits(imported),
        ),
        "success",
    )
    return redirect(url_for("impact.training", year=year), 303)


# -- programme staff ----------------------------------------------------------------------------


def _staff_page(form=None, status: int = 200):
    return render_template(
        "reports/staff.html",
        staff=impact.programme_staff(),
        form=form or GrantForm(formdata=None),
        revoke_form=RevokeForm(formdata=None),
    ), status


@bp.route("/programme/staff", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def staff():
    if request.method == "GET":
        return _staff_page()
    action = request.form.get("action")
    if action == "grant":
        return _grant()
    if action == "revoke":
        return _revoke()
    abort(400)


def _grant():
    form = GrantForm()
    if not form.validate_on_submit():
        return _staff_page(form, 400)
    try:
        with transaction():
            user = services.grant_programme(form.email.data, current_user)
    except DomainError as error:
        show_error(form, error, default_field="email")
        return _staff_page(form, 409 if isinstance(error, services.AlreadyProgramme) else 400)
    flash(
        _("%(name)s can now read the impact figures.", name=isolate(user.display_name)),
        "success",
    )
    return redirect(url_for("impact.staff"), 303)


def _revoke():
    form = RevokeForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        with transaction():
            user = services.revoke_programme(form.user_id.data, current_user)
    except NotFound:
        flash(_("That account does not have access to the impact figures."), "error")
        return _staff_page(status=404)
    flash(
        _("%(name)s can no longer read the impact figures.", name=isolate(user.display_name)),
        "success",
    )
    return redirect(url_for("impact.staff"), 303)


# -- the public page ----------------------------------------------------------------------------


@bp.get("/impact")
def public():
    seconds = current_app.config["SHOP_IMPACT_CACHE_SECONDS"]
    figures = impact.cached_public_figures(current_language(), seconds, utcnow(), _zone())
    response = make_response(
        render_template(
            "reports/public_impact.html", figures=figures, minimum=impact.PUBLIC_MIN_EARNING
        )
    )
    # Browsers and shared caches may keep a visitor's page. A signed-in person's page (their
    # name is in the header) is marked no-store by the app's security headers all the same,
    # and so is one that changed the visitor's session (a message shown once).
    shared = not session.modified
    response.headers["Cache-Control"] = f"public, max-age={seconds}" if shared else "no-store"
    response.vary.add("Cookie")
    return response
