"""Payout batches: an admin runs one (a payout per producer and cooperative whose available
balance passed the minimum), downloads its bank file, and confirms it once the bank has paid —
which alone writes the ledger entries — or cancels it.

Nobody is paid twice: a beneficiary has at most one payout in a batch not yet decided (a unique
column, so two batches run at once cannot both list them); confirming locks the batch and
checks it is still a draft; and each payout's ledger transaction has a key of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shop.audit.services import record
from shop.cooperatives.models import Cooperative
from shop.database import lock_row, utcnow
from shop.errors import DomainError, IllegalTransition, NotFound
from shop.extensions import db
from shop.ledger import queries as ledger
from shop.ledger.models import account_kind, account_owner
from shop.ledger.services import record_payout
from shop.ledger.sheba import InvalidSheba, validate_sheba
from shop.payouts.models import BatchStatus, Payout, PayoutBatch
from shop.producers.models import Producer
from shop.subsidies.services import mark_paid as mark_subsidies_paid

#: Why a beneficiary is listed in a batch but not paid.
NO_SHEBA = "no_sheba"


class NothingToPay(DomainError):
    message = _l("No producer or cooperative has an available balance above the minimum now.")


class BatchRunning(DomainError):
    message = _l(
        "Another payout batch was being made at the same moment; nothing was added. "
        "Look at the list of batches."
    )


class BatchDecided(IllegalTransition):
    message = _l("This batch was already confirmed or cancelled.")


class BatchChanged(DomainError):
    field = "total"
    message = _l("The total sent is not this batch's total. Open the batch again and check it.")


class NoLongerAvailable(DomainError):
    """A beneficiary's available balance fell below their payout (a refund came in)."""

    def __init__(self, beneficiary: str) -> None:
        super().__init__(
            message=_l(
                "%(name)s's available balance is now less than their payout. "
                "Cancel this batch and run a new one.",
                name=beneficiary,
            )
        )


@dataclass(frozen=True)
class Due:
    """What one beneficiary could be paid now."""

    account: str
    beneficiary: str
    sheba: str
    #: What goes to their bank account.
    amount: int
    #: Cash they collected from buyers that the payout settles (taken off the amount; negative
    #: for cash they paid buyers back after an earlier settlement).
    cash_settled: int = 0


def _beneficiaries(accounts: list[str]) -> dict[str, tuple[str, str]]:
    """(name, Sheba) per ``producer:N`` and ``cooperative:N`` account."""
    ids: dict[str, list[int]] = {"producer": [], "cooperative": []}
    for account in accounts:
        ids[account_kind(account)].append(account_owner(account))
    found = {}
    if ids["producer"]:
        for producer in db.session.scalars(
            select(Producer).where(Producer.id.in_(ids["producer"]))
        ):
            found[f"producer:{producer.id}"] = (producer.shop_name, producer.sheba)
    if ids["cooperative"]:
        for cooperative in db.session.scalars(
            select(Cooperative).where(Cooperative.id.in_(ids["cooperative"]))
        ):
            found[f"cooperative:{cooperative.id}"] = (cooperative.name, cooperative.sheba)
    return found


def due_now(now=None, minimum: int | None = None) -> list[Due]:
    """Every producer and cooperative whose payable balance reaches ``minimum`` (by default
    ``SHOP_PAYOUT_MINIMUM``) and who is not already in a batch waiting to be confirmed,
    largest first."""
    if minimum is None:
        minimum = current_app.config["SHOP_PAYOUT_MINIMUM"]
    minimum = max(1, minimum)
    found = ledger.balances(now=now)
    waiting = set(
        db.session.scalars(select(Payout.open_account).where(Payout.open_account.is_not(None)))
    )
    candidates = [
        account
        for account in found
        if account_kind(account) in ("producer", "cooperative") and account not in waiting
    ]
    names = _beneficiaries(candidates)
    due = []
    for account in candidates:
        earnings = ledger.earnings_of(account, found)
        if earnings.payable >= minimum and account in names:
            name, sheba = names[account]
            due.append(Due(account, name, sheba, earnings.payable, -earnings.cash_held))
    return sorted(due, key=lambda d: (-d.amount, d.account))


def _valid(sheba: str) -> bool:
    try:
        validate_sheba(sheba)
    except InvalidSheba:
        return False
    return True


def run_batch(actor, now=None, minimum: int | None = None) -> PayoutBatch:
    """A draft batch of everyone due now; those without a valid Sheba are listed, not paid.
    Raises ``NothingToPay`` when nobody is due, ``BatchRunning`` when another batch took them
    at the same moment."""
    batch = PayoutBatch(currency=current_app.config["SHOP_CURRENCY"], created_by_id=actor.id)
    db.session.add(batch)
    db.session.flush()  # on SQLite this takes the write lock before anything is read
    due = due_now(now, minimum)
    if not due:
        raise NothingToPay()
    for item in due:
        paid = _valid(item.sheba)
        db.session.add(
            Payout(
                batch=batch,
                account=item.account,
                open_account=item.account if paid else None,
                beneficiary=item.beneficiary[:160],
                sheba=item.sheba,
                amount=item.amount,
                cash_settled=item.cash_settled,
                skipped_reason="" if paid else NO_SHEBA,
            )
        )
    try:
        db.session.flush()
    except IntegrityError as error:
        if "open_account" not in str(error.orig):
            raise
        raise BatchRunning() from error  # another batch listed one of them first
    if not batch.paid_lines:
        raise NothingToPay(message=_l("Everyone due now lacks a valid Sheba number."))
    record(
        actor,
        "payout_batch.run",
        f"payout_batch:{batch.id}",
        after={
            "total": batch.total,
            "paid": len(batch.paid_lines),
            "skipped": len(due) - len(batch.paid_lines),
        },
    )
    return batch


def _open_batch(batch_id: int) -> PayoutBatch:
    batch = db.session.get(PayoutBatch, batch_id)
    if batch is None:
        raise NotFound()
    lock_row(batch)  # two admins confirming at once: the second finds it decided
    if batch.status is not BatchStatus.DRAFT:
        raise BatchDecided()
    return batch


def confirm_batch(batch_id: int, actor, shown_total: int, now=None) -> PayoutBatch:
    """The bank paid the batch: one ledger transaction per payout, moving the balance to the
    bank. ``shown_total`` is the total the admin confirmed; another one changes nothing."""
    batch = _open_batch(batch_id)
    if shown_total != batch.total:
        raise BatchChanged()
    lines = batch.paid_lines
    found = ledger.balances(ledger.earnings_accounts([p.account for p in lines]), now=now)
    for payout in lines:
        earnings = ledger.earnings_of(payout.account, found)
        if (
            earnings.balance.available < payout.amount + payout.cash_settled
            or -earnings.cash_held < payout.cash_settled
        ):
            raise NoLongerAvailable(payout.beneficiary)
    for payout in lines:
        record_payout(payout)
        payout.open_account = None
    for payout in lines:  # a cooperative's payout paid the subsidies granted before the batch
        if account_kind(payout.account) == "cooperative":
            mark_subsidies_paid(payout, batch, actor, now=now)
    _decide(batch, BatchStatus.CONFIRMED, actor)
    record(
        actor,
        "payout_batch.confirm",
        f"payout_batch:{batch.id}",
        {"status": BatchStatus.DRAFT.value},
        {"status": BatchStatus.CONFIRMED.value, "total": batch.total, "paid": len(lines)},
    )
    return batch


def cancel_batch(batch_id: int, actor) -> PayoutBatch:
    """Give up on a batch not confirmed: its beneficiaries may be paid by the next one."""
    batch = _open_batch(batch_id)
    for payout in batch.payouts:
        payout.open_account = None
    _decide(batch, BatchStatus.CANCELLED, actor)
    record(
        actor,
        "payout_batch.cancel",
        f"payout_batch:{batch.id}",
        {"status": BatchStatus.DRAFT.value},
        {"status": BatchStatus.CANCELLED.value, "total": batch.total},
    )
    return batch


def _decide(batch: PayoutBatch, status: BatchStatus, actor) -> None:
    batch.status.check_transition(status)
    batch.status = status
    batch.decided_by_id = actor.id
    batch.decided_at = utcnow()
    db.session.flush()
