"""Reading subsidy applications: a cooperative's history and this year's cap, the admins'
queue, and the arithmetic of one application."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from shop.audit.models import AuditEntry
from shop.database import utcnow
from shop.extensions import db
from shop.ledger.settings import get_setting
from shop.pagination import Page, paginate
from shop.reports.periods import jalali_year_of
from shop.subsidies.models import SubsidyApplication, SubsidyInvoice, SubsidyStatus
from shop.subsidies.rules import Arithmetic, subsidy_for

#: What the admins' queue can show: everything past the draft (a draft is the cooperative's).
QUEUE_STATUSES = (
    SubsidyStatus.SUBMITTED,
    SubsidyStatus.CHANGES_REQUESTED,
    SubsidyStatus.APPROVED,
    SubsidyStatus.REJECTED,
    SubsidyStatus.PAID,
)
GRANTED = (SubsidyStatus.APPROVED, SubsidyStatus.PAID)


def shop_zone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def current_year(now: datetime | None = None) -> int:
    """The Jalali year ``now`` (by default this moment) falls in, in the shop's time zone."""
    return jalali_year_of(now or utcnow(), shop_zone())


def current_rule() -> tuple[int, int]:
    """The rate (basis points) and yearly cap (minor units) in force now."""
    return get_setting("subsidy_rate_bp"), get_setting("subsidy_cap")


def granted_in_year(cooperative_id: int, year: int, excluding: int | None = None) -> int:
    """What the cooperative was granted (approved or paid) for ``year``'s cap."""
    query = select(func.coalesce(func.sum(SubsidyApplication.approved_amount), 0)).where(
        SubsidyApplication.cooperative_id == cooperative_id,
        SubsidyApplication.jalali_year == year,
        SubsidyApplication.status.in_(GRANTED),
    )
    if excluding is not None:
        query = query.where(SubsidyApplication.id != excluding)
    return int(db.session.scalar(query) or 0)


@dataclass(frozen=True)
class YearSummary:
    """A cooperative's cap for a Jalali year, by the rule in force now."""

    year: int
    rate_bp: int
    cap: int
    granted: int

    @property
    def remaining(self) -> int:
        return max(0, self.cap - self.granted)


def year_summary(cooperative_id: int, now: datetime | None = None) -> YearSummary:
    year = current_year(now)
    rate_bp, cap = current_rule()
    return YearSummary(year, rate_bp, cap, granted_in_year(cooperative_id, year))


@dataclass(frozen=True)
class Computed:
    """An application's arithmetic and the rule it follows."""

    arithmetic: Arithmetic
    year: int
    #: The rule was copied onto the application at its first submission (else: in force now).
    is_fixed: bool


def arithmetic_of(application: SubsidyApplication, now: datetime | None = None) -> Computed:
    """The application's subsidy as the rule allows it now: by the rule it was submitted
    under, against the cap of its year less what the cooperative was granted for others; a
    draft, by the rule in force now for this year."""
    if application.rate_bp is not None and application.cap is not None:
        rate_bp, cap, year, fixed = (
            application.rate_bp,
            application.cap,
            application.jalali_year,
            True,
        )
    else:
        (rate_bp, cap), year, fixed = current_rule(), current_year(now), False
    granted = granted_in_year(application.cooperative_id, year, excluding=application.id)
    return Computed(subsidy_for(application.cost, rate_bp, cap, granted), year, fixed)


def list_applications(cooperative_id: int) -> list[SubsidyApplication]:
    """The cooperative's applications, newest first."""
    return db.session.scalars(
        select(SubsidyApplication)
        .where(SubsidyApplication.cooperative_id == cooperative_id)
        .order_by(SubsidyApplication.created_at.desc(), SubsidyApplication.id.desc())
    ).all()


def get_application(cooperative_id: int, application_id: int) -> SubsidyApplication | None:
    """The application, if it is that cooperative's."""
    return db.session.scalar(
        select(SubsidyApplication)
        .options(selectinload(SubsidyApplication.invoices))
        .where(
            SubsidyApplication.id == application_id,
            SubsidyApplication.cooperative_id == cooperative_id,
        )
    )


def get_for_review(application_id: int) -> SubsidyApplication | None:
    """An application an admin may review: any past its draft."""
    return db.session.scalar(
        select(SubsidyApplication)
        .options(
            selectinload(SubsidyApplication.invoices),
            selectinload(SubsidyApplication.cooperative),
        )
        .where(
            SubsidyApplication.id == application_id,
            SubsidyApplication.status.in_(QUEUE_STATUSES),
        )
    )


def review_queue(status: SubsidyStatus | None, page: int = 1, per_page: int = 20) -> Page:
    """Applications past their draft (or of ``status``), newest submitted first."""
    statuses = (status,) if status is not None else QUEUE_STATUSES
    query = (
        select(SubsidyApplication)
        .options(selectinload(SubsidyApplication.cooperative))
        .where(SubsidyApplication.status.in_(statuses))
        .order_by(SubsidyApplication.submitted_at.desc().nulls_last(), SubsidyApplication.id.desc())
    )
    return paginate(query, page, per_page)


def get_invoice(invoice_id: int) -> SubsidyInvoice | None:
    return db.session.scalar(
        select(SubsidyInvoice)
        .options(selectinload(SubsidyInvoice.application))
        .where(SubsidyInvoice.id == invoice_id)
    )


@dataclass(frozen=True)
class Event:
    """One step of an application's history, from the audit log."""

    action: str
    at: datetime
    amount: int | None = None
    note: str = ""


def history(application_id: int) -> list[Event]:
    """What happened to the application, oldest first: submissions and decisions."""
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.subject == f"subsidy:{application_id}")
        .order_by(AuditEntry.created_at, AuditEntry.id)
    ).all()
    events = []
    for entry in entries:
        after = json.loads(entry.after or "{}")
        amount = after.get("approved_amount") or after.get("computed_amount")
        events.append(
            Event(
                entry.action,
                entry.created_at,
                int(amount) if isinstance(amount, int) else None,
                str(after.get("decision_note", "")),
            )
        )
    return events
