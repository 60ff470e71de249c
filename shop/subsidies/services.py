"""Branding subsidies: a cooperative's manager applies, an admin decides, the subsidy fund pays.

The rule in force at an application's first submission (rate, yearly cap, Jalali year) is
copied onto it and kept through any changes asked for, so a later change of the rule never
alters an application already made. An approval locks the cooperative's row first, so two
approvals for one cooperative take turns and the cap is never passed; it writes the grant to
the ledger (subsidy fund → cooperative), and the next payout batch pays it, which marks it paid.
Every decision is audit-logged and e-mailed to the cooperative's managers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shop.audit.services import record
from shop.cooperatives.models import Cooperative
from shop.cooperatives.services import is_manager
from shop.database import lock_row, utcnow
from shop.errors import DomainError, IllegalTransition, NotAllowed, NotFound
from shop.extensions import db
from shop.i18n import digits, format_basis_points, format_money, format_number
from shop.ledger.models import LedgerTransaction, account_kind, account_owner
from shop.ledger.services import record_subsidy
from shop.ledger.settings import get_setting, put_setting
from shop.mail.services import queue_mail
from shop.media.uploads import Upload
from shop.subsidies import invoices, queries
from shop.subsidies.models import BrandingWork, SubsidyApplication, SubsidyStatus
from shop.subsidies.rules import (
    HIGHEST_CAP,
    HIGHEST_RATE_BP,
    LOWEST_CAP,
    LOWEST_RATE_BP,
    MAX_COST,
    subsidy_for,
)

#: The longest description, supplier name and admin's note kept.
MAX_DESCRIPTION = 2_000
MAX_SUPPLIER = 160
MAX_NOTE = 1_000


class _Shown:
    """A figure in the language of whoever reads the message (formatted when it is read)."""

    def __init__(self, value: int, show) -> None:
        self.value, self.show = value, show

    def __str__(self) -> str:
        return self.show(self.value)


def _money(amount: int) -> _Shown:
    return _Shown(amount, format_money)


class BadCost(DomainError):
    field = "cost"

    def __init__(self) -> None:
        super().__init__(
            message=_l(
                "Enter what the work cost: more than zero and at most %(most)s.",
                most=_money(MAX_COST),
            )
        )


class SupplierMissing(DomainError):
    field = "supplier"
    message = _l("Write who did the work (the supplier), as on the invoice.")


class TooLong(DomainError):
    def __init__(self, field: str, most: int) -> None:
        super().__init__(
            field=field,
            message=_l("Write at most %(count)s characters.", count=_Shown(most, format_number)),
        )


class NoInvoice(DomainError):
    field = "invoices"
    message = _l("Attach at least one invoice (PDF, JPEG or PNG) before submitting.")


class NotEditable(IllegalTransition):
    message = _l(
        "This application can no longer be changed: it was submitted. It can be changed again "
        "only if the reviewer asks for changes."
    )


class NotSubmittable(IllegalTransition):
    message = _l("This application was already submitted.")


class AlreadyDecided(IllegalTransition):
    message = _l("This application was already decided, or is not waiting for a decision.")


class CapUsedUp(DomainError):
    def __init__(self, year: int, cap: int) -> None:
        super().__init__(
            message=_l(
                "The cooperative has already been granted this year's whole cap of %(cap)s "
                "(Jalali year %(year)s): nothing more can be granted until the new year.",
                cap=_money(cap),
                year=_Shown(year, digits),
            )
        )


class AmountNotPositive(DomainError):
    field = "amount"
    message = _l("Enter the amount to grant: more than zero.")


class AboveAllowed(DomainError):
    field = "amount"

    def __init__(self, allowed: int) -> None:
        if allowed > 0:
            message = _l(
                "At most %(allowed)s can be granted for this application: the rate times the "
                "cost, within what remains of the cooperative's cap for its year.",
                allowed=_money(allowed),
            )
        else:
            message = _l(
                "Nothing more can be granted for this application: the cooperative's cap for "
                "its year is used up. Reject it, with the reason."
            )
        super().__init__(message=message)
        self.allowed = allowed


class NoteMissing(DomainError):
    def __init__(self, field: str) -> None:
        super().__init__(
            field=field,
            message=_l("Write the reason, so the cooperative knows what to do next."),
        )


class BadRate(DomainError):
    field = "rate"

    def __init__(self) -> None:
        super().__init__(
            message=_l(
                "The rate must be from %(low)s to %(high)s.",
                low=_Shown(LOWEST_RATE_BP, format_basis_points),
                high=_Shown(HIGHEST_RATE_BP, format_basis_points),
            )
        )


class BadCap(DomainError):
    field = "cap"

    def __init__(self) -> None:
        super().__init__(
            message=_l(
                "The yearly cap must be more than zero and at most %(most)s.",
                most=_money(HIGHEST_CAP),
            )
        )


@dataclass(frozen=True)
class ApplicationData:
    """What a manager writes: the work, what it cost (minor units) and who did it."""

    work: BrandingWork
    cost: int
    supplier: str
    description: str = ""


def _check(data: ApplicationData) -> ApplicationData:
    if not isinstance(data.work, BrandingWork):
        raise DomainError(field="work", message=_l("Choose what the branding work is."))
    if (
        isinstance(data.cost, bool)
        or not isinstance(data.cost, int)
        or not 0 < data.cost <= MAX_COST
    ):
        raise BadCost()
    supplier, description = data.supplier.strip(), data.description.strip()
    if not supplier:
        raise SupplierMissing()
    if len(supplier) > MAX_SUPPLIER:
        raise TooLong("supplier", MAX_SUPPLIER)
    if len(description) > MAX_DESCRIPTION:
        raise TooLong("description", MAX_DESCRIPTION)
    return ApplicationData(data.work, data.cost, supplier, description)


def _require_manager(actor, cooperative: Cooperative) -> None:
    # Applying is the cooperative's own business: its managers only (admins decide).
    if actor is None or not is_manager(actor, cooperative):
        raise NotAllowed("not a manager of this cooperative")


def _require_admin(actor) -> None:
    if actor is None or not actor.is_admin:
        raise NotAllowed("not an admin")


def _add_invoices(application: SubsidyApplication, actor, uploads: list[Upload]) -> None:
    if len(application.invoices) + len(uploads) > invoices.MAX_INVOICES:
        raise invoices.InvoiceRejected("too_many")
    for upload in uploads:
        invoices.store_invoice(application, upload, actor)


def create_application(
    cooperative: Cooperative, actor, data: ApplicationData, uploads: list[Upload] = ()
) -> SubsidyApplication:
    """A draft application of the cooperative's, with its invoice files."""
    _require_manager(actor, cooperative)
    data = _check(data)
    application = SubsidyApplication(
        cooperative_id=cooperative.id,
        created_by_id=actor.id,
        work=data.work,
        description=data.description,
        supplier=data.supplier,
        cost=data.cost,
        status=SubsidyStatus.DRAFT,
    )
    db.session.add(application)
    db.session.flush()
    _add_invoices(application, actor, list(uploads))
    return application


def _editable(application: SubsidyApplication, actor) -> None:
    _require_manager(actor, application.cooperative)
    lock_row(application)  # an edit and a submission at once: the second sees the first
    if not application.status.is_editable:
        raise NotEditable()


def update_application(
    application: SubsidyApplication, actor, data: ApplicationData, uploads: list[Upload] = ()
) -> SubsidyApplication:
    """Change a draft (or an application sent back for changes), and add invoice files."""
    _editable(application, actor)
    data = _check(data)
    application.work = data.work
    application.cost = data.cost
    application.supplier = data.supplier
    application.description = data.description
    _add_invoices(application, actor, list(uploads))
    db.session.flush()
    return application


def add_invoice(application: SubsidyApplication, actor, upload: Upload):
    """Attach one invoice file to an application that can still be changed."""
    _editable(application, actor)
    _add_invoices(application, actor, [upload])
    return application.invoices[-1]


def remove_invoice(application: SubsidyApplication, actor, invoice_id: int) -> None:
    """Take an invoice file off an application that can still be changed."""
    _editable(application, actor)
    invoice = next((i for i in application.invoices if i.id == invoice_id), None)
    if invoice is None:
        raise NotFound()
    invoices.delete_invoice(invoice)


def submit(application: SubsidyApplication, actor, now: datetime | None = None):
    """Send the application to the admins. The first submission fixes the rule it follows
    (the rate and cap in force, the Jalali year of ``now``); a resubmission keeps it."""
    _require_manager(actor, application.cooperative)
    lock_row(application)
    before = application.status
    if not before.can_become(SubsidyStatus.SUBMITTED):
        raise NotSubmittable()
    if not application.invoices:
        raise NoInvoice()
    now = now or utcnow()
    if application.rate_bp is None or application.cap is None or application.jalali_year is None:
        application.rate_bp = get_setting("subsidy_rate_bp")
        application.cap = get_setting("subsidy_cap")
        application.jalali_year = queries.current_year(now)
    granted = queries.granted_in_year(
        application.cooperative_id, application.jalali_year, excluding=application.id
    )
    arithmetic = subsidy_for(application.cost, application.rate_bp, application.cap, granted)
    if arithmetic.amount <= 0:
        raise CapUsedUp(application.jalali_year, application.cap)
    application.status = SubsidyStatus.SUBMITTED
    application.computed_amount = arithmetic.amount
    application.submitted_at = now
    record(
        actor,
        "subsidy.submit",
        f"subsidy:{application.id}",
        {"status": before.value},
        {
            "status": SubsidyStatus.SUBMITTED.value,
            "cost": application.cost,
            "rate_bp": application.rate_bp,
            "cap": application.cap,
            "jalali_year": application.jalali_year,
            "granted": granted,
            "computed_amount": arithmetic.amount,
        },
    )
    db.session.flush()
    return application


def _waiting(application_id: int, actor, target: SubsidyStatus) -> SubsidyApplication:
    """The application, locked behind its cooperative, if it may become ``target`` now."""
    _require_admin(actor)
    application = db.session.get(SubsidyApplication, application_id)
    if application is None or application.status is SubsidyStatus.DRAFT:
        raise NotFound()
    # The cooperative first: two approvals for one cooperative take turns, so the second
    # sees the first's grant against the cap.
    lock_row(application.cooperative)
    lock_row(application)
    if not application.status.can_become(target):
        raise AlreadyDecided()
    return application


def _tell_managers(application: SubsidyApplication, template: str, **context) -> None:
    for manager in application.cooperative.managers:
        queue_mail(manager, template, application=application, **context)


def _decide(application: SubsidyApplication, actor, status: SubsidyStatus, now) -> None:
    application.status.check_transition(status)
    application.status = status
    application.reviewer_id = actor.id
    application.decided_at = now or utcnow()


def approve(
    application_id: int, actor, amount: int, now: datetime | None = None
) -> SubsidyApplication:
    """Grant ``amount`` (at most what the rule allows now), record it in the ledger and tell
    the cooperative's managers."""
    application = _waiting(application_id, actor, SubsidyStatus.APPROVED)
    granted = queries.granted_in_year(
        application.cooperative_id, application.jalali_year, excluding=application.id
    )
    allowed = subsidy_for(application.cost, application.rate_bp, application.cap, granted).amount
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        if allowed <= 0:
            raise AboveAllowed(allowed)
        raise AmountNotPositive()
    if amount > allowed:
        raise AboveAllowed(allowed)
    before = {"status": application.status.value, "computed_amount": application.computed_amount}
    _decide(application, actor, SubsidyStatus.APPROVED, now)
    application.approved_amount = amount
    application.decision_note = ""
    db.session.flush()
    record_subsidy(application)
    record(
        actor,
        "subsidy.approve",
        f"subsidy:{application.id}",
        before,
        {
            "status": SubsidyStatus.APPROVED.value,
            "approved_amount": amount,
            "allowed": allowed,
            "granted_before": granted,
        },
    )
    _tell_managers(application, "subsidy_approved", amount=amount)
    return application


def _note(text: str | None, field: str) -> str:
    note = (text or "").strip()
    if not note:
        raise NoteMissing(field)
    if len(note) > MAX_NOTE:
        raise TooLong(field, MAX_NOTE)
    return note


def reject(
    application_id: int, actor, reason: str, now: datetime | None = None
) -> SubsidyApplication:
    """Refuse the application, with the reason the cooperative is told."""
    return _decide_with_note(
        application_id, actor, SubsidyStatus.REJECTED, _note(reason, "reason"), now
    )


def request_changes(
    application_id: int, actor, note: str, now: datetime | None = None
) -> SubsidyApplication:
    """Send the application back to the cooperative, saying what to change."""
    return _decide_with_note(
        application_id, actor, SubsidyStatus.CHANGES_REQUESTED, _note(note, "note"), now
    )


#: (audit action, e-mail to the managers) of each decision that carries a note.
_NOTED_DECISIONS = {
    SubsidyStatus.REJECTED: ("subsidy.reject", "subsidy_rejected"),
    SubsidyStatus.CHANGES_REQUESTED: ("subsidy.request_changes", "subsidy_changes_requested"),
}


def _decide_with_note(
    application_id: int, actor, target: SubsidyStatus, note: str, now
) -> SubsidyApplication:
    action, template = _NOTED_DECISIONS[target]
    application = _waiting(application_id, actor, target)
    before = application.status.value
    _decide(application, actor, target, now)
    application.decision_note = note
    record(
        actor,
        action,
        f"subsidy:{application.id}",
        {"status": before},
        {"status": target.value, "decision_note": note},
    )
    _tell_managers(application, template)
    db.session.flush()
    return application


def set_rules(actor, rate_bp: int, cap: int) -> None:
    """The rate and yearly cap for applications submitted from now on."""
    _require_admin(actor)
    if isinstance(rate_bp, bool) or not isinstance(rate_bp, int):
        raise BadRate()
    if not LOWEST_RATE_BP <= rate_bp <= HIGHEST_RATE_BP:
        raise BadRate()
    if isinstance(cap, bool) or not isinstance(cap, int) or not LOWEST_CAP <= cap <= HIGHEST_CAP:
        raise BadCap()
    before = queries.current_rule()
    if before == (rate_bp, cap):
        return
    put_setting("subsidy_rate_bp", rate_bp)
    put_setting("subsidy_cap", cap)
    record(
        actor,
        "subsidy.rules",
        "subsidies",
        {"rate_bp": before[0], "cap": before[1]},
        {"rate_bp": rate_bp, "cap": cap},
    )


def mark_paid(payout, batch, actor, now: datetime | None = None) -> list[SubsidyApplication]:
    """A confirmed payout to a cooperative paid its approved subsidies — those whose grant
    was in the ledger when the batch was made (a later one is in the next batch)."""
    if account_kind(payout.account) != "cooperative":
        return []
    cooperative_id = account_owner(payout.account)
    approved = db.session.scalars(
        select(SubsidyApplication)
        .where(
            SubsidyApplication.cooperative_id == cooperative_id,
            SubsidyApplication.status == SubsidyStatus.APPROVED,
        )
        .order_by(SubsidyApplication.id)
    ).all()
    if not approved:
        return []
    recorded = dict(
        db.session.execute(
            select(LedgerTransaction.key, LedgerTransaction.created_at).where(
                LedgerTransaction.key.in_([f"subsidy:{a.id}" for a in approved])
            )
        ).all()
    )
    paid = []
    for application in approved:
        granted_at = recorded.get(f"subsidy:{application.id}")
        if granted_at is None or granted_at > batch.created_at:
            continue
        application.status.check_transition(SubsidyStatus.PAID)
        application.status = SubsidyStatus.PAID
        application.payout_id = payout.id
        application.paid_at = now or utcnow()
        record(
            actor,
            "subsidy.paid",
            f"subsidy:{application.id}",
            {"status": SubsidyStatus.APPROVED.value},
            {
                "status": SubsidyStatus.PAID.value,
                "approved_amount": application.approved_amount,
                "payout_id": payout.id,
                "batch": batch.reference,
            },
        )
        _tell_managers(application, "subsidy_paid", batch=batch)
        paid.append(application)
    db.session.flush()
    return paid
