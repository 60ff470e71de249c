"""Branding-subsidy applications: the cooperative's side and the admins' review.

A cooperative's pages are its managers' (and open to admins to read: applying is for the
managers, deciding for the admins); to anyone else they do not exist (404). The admins' pages
answer 403 to anyone who is not an admin, programme staff included.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from shop.accounts.models import Role
from shop.accounts.session import role_required
from shop.cooperatives.access import managed_or_404
from shop.cooperatives.services import is_manager
from shop.database import transaction
from shop.errors import BadArgument, DomainError, IllegalTransition
from shop.forms import ActionForm, show_error
from shop.i18n import format_money
from shop.money import get_currency
from shop.subsidies import invoices, queries, services
from shop.subsidies.forms import (
    ApplicationForm,
    ApproveForm,
    ChangesForm,
    RejectForm,
    RulesForm,
    work_label,
)
from shop.subsidies.models import SubsidyStatus
from shop.web import page_argument

bp = Blueprint("subsidies", __name__)
bp.add_app_template_filter(work_label, "branding_work")


# -- the cooperative's side ------------------------------------------------------------------


def _managers_only(cooperative) -> None:
    """Applying and changing an application is for the cooperative's own managers; an admin
    who is not one may look but not act for them."""
    if not is_manager(current_user, cooperative):
        abort(403)


def _application_or_404(cooperative_id: int, application_id: int):
    found = queries.get_application(cooperative_id, application_id)
    if found is None:
        abort(404)
    return found


def _data(form: ApplicationForm) -> services.ApplicationData:
    return services.ApplicationData(
        work=form.work.data,
        cost=form.cost.data,
        supplier=form.supplier.data or "",
        description=form.description.data or "",
    )


@bp.get("/cooperative/<int:cooperative_id>/subsidies")
@login_required
def applications(cooperative_id: int):
    cooperative = managed_or_404(cooperative_id)
    return render_template(
        "subsidies/applications.html",
        cooperative=cooperative,
        applications=queries.list_applications(cooperative.id),
        summary=queries.year_summary(cooperative.id),
        may_apply=is_manager(current_user, cooperative),
    )


def _new_page(cooperative, form, status: int = 200):
    return render_template(
        "subsidies/new.html",
        cooperative=cooperative,
        form=form,
        summary=queries.year_summary(cooperative.id),
    ), status


@bp.route("/cooperative/<int:cooperative_id>/subsidies/new", methods=["GET", "POST"])
@login_required
def new(cooperative_id: int):
    cooperative = managed_or_404(cooperative_id)
    _managers_only(cooperative)
    form = ApplicationForm()
    if request.method == "GET":
        return _new_page(cooperative, form)
    if not form.validate_on_submit():
        return _new_page(cooperative, form, 400)
    try:
        uploads = invoices.read_invoice_uploads(form.invoices.data)
        with transaction():
            made = services.create_application(cooperative, current_user, _data(form), uploads)
    except DomainError as error:
        show_error(form, error)
        return _new_page(cooperative, form, 400)
    flash(_("The application was saved as a draft. Check it, then submit it."), "success")
    return redirect(
        url_for("subsidies.application", cooperative_id=cooperative_id, application_id=made.id),
        303,
    )


def _application_page(cooperative_id: int, application_id: int, form=None, status: int = 200):
    cooperative = managed_or_404(cooperative_id)
    found = _application_or_404(cooperative_id, application_id)
    manages = is_manager(current_user, cooperative)
    if form is None and manages and found.status.is_editable:
        form = ApplicationForm(
            formdata=None,
            work=found.work,
            cost=found.cost,
            supplier=found.supplier,
            description=found.description,
        )
    return render_template(
        "subsidies/application.html",
        cooperative=cooperative,
        application=found,
        computed=queries.arithmetic_of(found),
        events=queries.history(found.id),
        form=form if manages and found.status.is_editable else None,
        manages=manages,
        action_form=ActionForm(),
    ), status


@bp.route(
    "/cooperative/<int:cooperative_id>/subsidies/<int:application_id>", methods=["GET", "POST"]
)
@login_required
def application(cooperative_id: int, application_id: int):
    if request.method == "GET":
        return _application_page(cooperative_id, application_id)
    cooperative = managed_or_404(cooperative_id)
    found = _application_or_404(cooperative_id, application_id)
    _managers_only(cooperative)
    form = ApplicationForm()
    if not form.validate_on_submit():
        return _application_page(cooperative_id, application_id, form, 400)
    try:
        uploads = invoices.read_invoice_uploads(form.invoices.data)
        with transaction():
            services.update_application(found, current_user, _data(form), uploads)
    except IllegalTransition as error:
        flash(str(error), "error")
        return _application_page(cooperative_id, application_id, status=409)
    except DomainError as error:
        show_error(form, error)
        return _application_page(cooperative_id, application_id, form, 400)
    flash(_("Your changes were saved."), "success")
    return redirect(request.path, 303)


def _acted(cooperative_id: int, application_id: int):
    """The application a manager's button acts on, after the checks every action needs."""
    cooperative = managed_or_404(cooperative_id)
    found = _application_or_404(cooperative_id, application_id)
    _managers_only(cooperative)
    if not ActionForm().validate_on_submit():
        abort(400)
    return found


@bp.post("/cooperative/<int:cooperative_id>/subsidies/<int:application_id>/submit")
@login_required
def submit(cooperative_id: int, application_id: int):
    found = _acted(cooperative_id, application_id)
    try:
        with transaction():
            services.submit(found, current_user)
    except DomainError as error:
        flash(str(error), "error")
        status = 409 if isinstance(error, IllegalTransition) else 400
        return _application_page(cooperative_id, application_id, status=status)
    flash(
        _("The application was submitted. The programme's admins review it; you hear by e-mail."),
        "success",
    )
    return redirect(
        url_for(
            "subsidies.application", cooperative_id=cooperative_id, application_id=application_id
        ),
        303,
    )


@bp.post(
    "/cooperative/<int:cooperative_id>/subsidies/<int:application_id>"
    "/invoices/<int:invoice_id>/remove"
)
@login_required
def remove_invoice(cooperative_id: int, application_id: int, invoice_id: int):
    found = _acted(cooperative_id, application_id)
    if not any(invoice.id == invoice_id for invoice in found.invoices):
        abort(404)
    try:
        with transaction():
            services.remove_invoice(found, current_user, invoice_id)
    except DomainError as error:
        flash(str(error), "error")
        status = 409 if isinstance(error, IllegalTransition) else 400
        return _application_page(cooperative_id, application_id, status=status)
    flash(_("The invoice file was removed."), "success")
    return redirect(
        url_for(
            "subsidies.application", cooperative_id=cooperative_id, application_id=application_id
        ),
        303,
    )


@bp.get("/subsidies/invoices/<int:invoice_id>")
@login_required
def invoice(invoice_id: int):
    """An invoice file, for the cooperative's managers and the admins only (404 to others)."""
    found = queries.get_invoice(invoice_id)
    if found is None:
        abort(404)
    owner = found.application
    if not (current_user.is_admin or is_manager(current_user, owner.cooperative)):
        abort(404)
    path = invoices.invoice_path(found)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        abort(404)
    response = Response(data, mimetype=found.content_type)
    response.headers["Content-Disposition"] = invoices.content_disposition(found, owner.reference)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# -- the admins' side ------------------------------------------------------------------------

#: ``?status=`` of the review queue: a status, or ``all`` (past the draft).
ALL = "all"


def _queue_status() -> SubsidyStatus | None:
    raw = request.args.get("status", SubsidyStatus.SUBMITTED.value)
    if raw == ALL:
        return None
    chosen = next((s for s in queries.QUEUE_STATUSES if s.value == raw), None)
    if chosen is None:
        raise BadArgument(message=_("Choose a status from the list."))
    return chosen


@bp.get("/admin/subsidies/")
@role_required(Role.ADMIN)
def review_queue():
    status = _queue_status()
    return render_template(
        "subsidies/review_queue.html",
        page=queries.review_queue(status, page_argument()),
        status=status.value if status else ALL,
        statuses=queries.QUEUE_STATUSES,
    )


def _review_or_404(application_id: int):
    found = queries.get_for_review(application_id)
    if found is None:
        abort(404)
    return found


def _typable(amount: int) -> int:
    """``amount`` rounded down to what can be typed (whole toman: 59,259,258 rials are
    offered as 5,925,925 toman), so the amount offered can be sent as it is."""
    currency = get_currency(current_app.config["SHOP_CURRENCY"])
    step = currency.display_factor // 10**currency.display_decimals
    return amount - amount % step


def _review_page(application_id: int, status: int = 200, **forms):
    found = _review_or_404(application_id)
    computed = queries.arithmetic_of(found)
    if "approve_form" not in forms:
        allowed = _typable(computed.arithmetic.amount)
        forms["approve_form"] = ApproveForm(formdata=None, amount=allowed if allowed else None)
    forms.setdefault("reject_form", RejectForm(formdata=None))
    forms.setdefault("changes_form", ChangesForm(formdata=None))
    return render_template(
        "subsidies/review.html",
        application=found,
        computed=computed,
        events=queries.history(found.id),
        **forms,
    ), status


@bp.get("/admin/subsidies/<int:application_id>")
@role_required(Role.ADMIN)
def review(application_id: int):
    return _review_page(application_id)


def _decided(application_id: int, form, name: str, decide, done: str):
    """Run one decision on the application from ``form`` (kept on the page as ``name``)."""
    _review_or_404(application_id)
    if not form.validate_on_submit():
        return _review_page(application_id, 400, **{name: form})
    try:
        with transaction():
            decide()
    except IllegalTransition as error:
        flash(str(error), "error")
        return _review_page(application_id, 409)
    except DomainError as error:
        show_error(form, error)
        return _review_page(application_id, 400, **{name: form})
    flash(done, "success")
    return redirect(url_for("subsidies.review", application_id=application_id), 303)


@bp.post("/admin/subsidies/<int:application_id>/approve")
@role_required(Role.ADMIN)
def approve(application_id: int):
    form = ApproveForm()
    return _decided(
        application_id,
        form,
        "approve_form",
        lambda: services.approve(application_id, current_user, form.amount.data),
        _(
            "%(amount)s was granted; the next payout batch pays it to the cooperative.",
            amount=format_money(form.amount.data or 0),
        ),
    )


@bp.post("/admin/subsidies/<int:application_id>/reject")
@role_required(Role.ADMIN)
def reject(application_id: int):
    form = RejectForm()
    return _decided(
        application_id,
        form,
        "reject_form",
        lambda: services.reject(application_id, current_user, form.reason.data),
        _("The application was rejected; the cooperative's managers are told why."),
    )


@bp.post("/admin/subsidies/<int:application_id>/changes")
@role_required(Role.ADMIN)
def request_changes(application_id: int):
    form = ChangesForm()
    return _decided(
        application_id,
        form,
        "changes_form",
        lambda: services.request_changes(application_id, current_user, form.note.data),
        _("The application was sent back; the cooperative's managers are told what to change."),
    )


@bp.route("/admin/subsidies/rules", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def rules():
    rate_bp, cap = queries.current_rule()
    if request.method == "GET":
        form = RulesForm(formdata=None, rate=rate_bp, cap=cap)
        return _rules_page(form)
    form = RulesForm()
    if not form.validate_on_submit():
        return _rules_page(form, 400)
    try:
        with transaction():
            services.set_rules(current_user, form.rate.data, form.cap.data)
    except DomainError as error:
        show_error(form, error)
        return _rules_page(form, 400)
    flash(
        _("The subsidy rule was saved: it applies to applications submitted from now on."),
        "success",
    )
    return redirect(url_for("subsidies.rules"), 303)


def _rules_page(form, status: int = 200):
    rate_bp, cap = queries.current_rule()
    return render_template("subsidies/rules.html", form=form, rate_bp=rate_bp, cap=cap), status
