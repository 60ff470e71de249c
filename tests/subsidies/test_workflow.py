"""An application's life: draft → submitted → (changes asked → submitted) → approved or
rejected → paid by a payout batch. Every step is audit-logged and e-mailed to the
cooperative's managers; an approval writes one balanced ledger transaction; an illegal step or
someone without the right is refused and changes nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from shop.accounts.models import Role, User
from shop.accounts.services import grant_role
from shop.audit.models import AuditEntry
from shop.cooperatives.models import Cooperative
from shop.database import transaction
from shop.errors import IllegalTransition, NotAllowed, NotFound
from shop.extensions import db
from shop.ledger import queries as ledger
from shop.ledger.models import SUBSIDY_FUND, LedgerEntry, LedgerTransaction, Purpose
from shop.ledger.models import TransactionKind as Kind
from shop.mail.models import OutgoingMail
from shop.payouts import services as payouts
from shop.subsidies import invoices, services
from shop.subsidies.models import BrandingWork, SubsidyApplication, SubsidyStatus
from shop.subsidies.rules import MAX_COST
from tests.conftest import assert_session_clean, count, reload
from tests.subsidies.conftest import IN_1404, approve, granted, make, pdf, submit, submitted


def actions(application) -> list[str]:
    return db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.subject == f"subsidy:{application.id}")
        .order_by(AuditEntry.id)
    ).all()


def mails_to(user) -> list[OutgoingMail]:
    return db.session.scalars(
        select(OutgoingMail).where(OutgoingMail.to_address == user.email).order_by(OutgoingMail.id)
    ).all()


def state(application) -> tuple:
    """Everything a refused step must leave as it was."""
    found = reload(application)
    return (
        found.status,
        found.cost,
        found.supplier,
        found.rate_bp,
        found.cap,
        found.jalali_year,
        found.computed_amount,
        found.approved_amount,
        found.reviewer_id,
        found.decision_note,
        found.payout_id,
        len(found.invoices),
        count(AuditEntry),
        count(OutgoingMail),
        count(LedgerEntry),
    )


@pytest.fixture
def second_manager(factory, coop):
    """The cooperative's second manager: every e-mail goes to both."""
    user = factory.user(name="مدیر دوم")
    with transaction():
        found = db.session.get(User, user.id)
        db.session.get(Cooperative, coop.ours.id).managers.append(found)
        grant_role(found, Role.COOPERATIVE_MANAGER)
    return reload(user)


def test_an_application_goes_from_draft_to_approved_through_changes(coop, second_manager):
    ours, manager, admin = coop.ours, coop.manager, coop.admin

    # Given a draft with its invoice
    draft = make(ours, manager, cost=120_000_000)
    assert draft.status is SubsidyStatus.DRAFT and len(draft.invoices) == 1
    assert actions(draft) == []

    # When it is submitted
    application = submit(draft, manager, now=IN_1404)
    assert application.status is SubsidyStatus.SUBMITTED
    assert application.computed_amount == 72_000_000 and application.submitted_at is not None

    # and the admin asks for changes
    with transaction():
        services.request_changes(application.id, admin, "  فاکتور مهر ندارد.  ")
    application = reload(application)
    assert application.status is SubsidyStatus.CHANGES_REQUESTED
    assert application.decision_note == "فاکتور مهر ندارد."
    assert application.reviewer_id == admin.id

    # and the manager changes it and submits it again
    with transaction():
        services.update_application(
            db.session.get(SubsidyApplication, application.id),
            manager,
            services.ApplicationData(
                work=BrandingWork.LABELS, cost=100_000_000, supplier="چاپخانه مهر"
            ),
            [pdf("stamped.pdf")],
        )
    application = submit(application, manager, now=IN_1404)
    assert (application.work, application.cost, len(application.invoices)) == (
        BrandingWork.LABELS,
        100_000_000,
        2,
    )
    assert application.computed_amount == 60_000_000

    # and approved for 55,000,000 rials
    application = approve(application, admin, 55_000_000)

    # Then it is approved, audit-logged at every step, and each manager was told each decision
    assert application.status is SubsidyStatus.APPROVED
    assert (application.approved_amount, application.reviewer_id) == (55_000_000, admin.id)
    assert application.decided_at is not None and application.decision_note == ""
    assert actions(application) == [
        "subsidy.submit",
        "subsidy.request_changes",
        "subsidy.submit",
        "subsidy.approve",
    ]
    approval = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "subsidy.approve"))
    assert json.loads(approval.before) == {"status": "submitted", "computed_amount": 60_000_000}
    assert json.loads(approval.after) == {
        "status": "approved",
        "approved_amount": 55_000_000,
        "allowed": 60_000_000,
        "granted_before": 0,
    }
    assert approval.actor_id == admin.id
    for user in (manager, second_manager):
        subjects = [mail.subject for mail in mails_to(user)]
        assert len(subjects) == 2
        assert all(application.reference in subject for subject in subjects)
    assert mails_to(admin) == []
    [approved_mail] = [m for m in mails_to(manager) if "۵٬۵۰۰٬۰۰۰ تومان" in m.subject]
    assert "۱۰٬۰۰۰٬۰۰۰ تومان" in approved_mail.body  # the cost, in the manager's language

    # And the ledger holds one balanced transaction: the fund pays the cooperative
    [transaction_row] = db.session.scalars(select(LedgerTransaction)).all()
    assert (transaction_row.kind, transaction_row.key, transaction_row.order_id) == (
        Kind.SUBSIDY,
        f"subsidy:{application.id}",
        None,
    )
    assert transaction_row.memo == application.reference
    entries = sorted(
        (e.account, e.amount, e.purpose, e.parcel_id, e.order_line_id, e.payout_id)
        for e in transaction_row.entries
    )
    assert entries == [
        (f"cooperative:{ours.id}", 55_000_000, Purpose.SUBSIDY, None, None, None),
        (SUBSIDY_FUND, -55_000_000, Purpose.SUBSIDY, None, None, None),
    ]
    assert ledger.cooperative_earnings(ours.id).balance.available == 55_000_000
    assert ledger.check_books().ok


def test_a_rejection_needs_a_reason_and_ends_the_application(coop):
    application = submitted(coop.ours, coop.manager, cost=50_000_000, now=IN_1404)
    before = state(application)

    for reason in ("", "   ", None, "x" * 1_001):
        with pytest.raises(services.DomainError), transaction():
            services.reject(application.id, coop.admin, reason)
    assert state(application) == before

    with transaction():
        services.reject(application.id, coop.admin, "این کار برندسازی نیست.")

    application = reload(application)
    assert application.status is SubsidyStatus.REJECTED
    assert application.decision_note == "این کار برندسازی نیست."
    assert actions(application) == ["subsidy.submit", "subsidy.reject"]
    [mail] = mails_to(coop.manager)
    assert application.reference in mail.subject and "این کار برندسازی نیست." in mail.body
    assert count(LedgerEntry) == 0

    # nothing more can happen to it
    after = state(application)
    for step in (
        lambda: services.approve(application.id, coop.admin, 1),
        lambda: services.request_changes(application.id, coop.admin, "دوباره"),
        lambda: services.reject(application.id, coop.admin, "دوباره"),
        lambda: services.submit(db.session.get(SubsidyApplication, application.id), coop.manager),
    ):
        with pytest.raises(IllegalTransition), transaction():
            step()
    assert state(application) == after


def test_changes_need_a_note(coop):
    application = submitted(coop.ours, coop.manager, cost=50_000_000, now=IN_1404)
    before = state(application)
    with pytest.raises(services.NoteMissing), transaction():
        services.request_changes(application.id, coop.admin, " ")
    assert state(application) == before


def test_illegal_steps_are_refused_and_change_nothing(coop):
    ours, manager, admin = coop.ours, coop.manager, coop.admin
    draft = make(ours, manager, cost=50_000_000)
    before = state(draft)

    # a draft is not the admins' yet
    for step in (
        lambda: services.approve(draft.id, admin, 1),
        lambda: services.reject(draft.id, admin, "نه"),
        lambda: services.request_changes(draft.id, admin, "نه"),
    ):
        with pytest.raises(NotFound), transaction():
            step()
    with pytest.raises(NotFound), transaction():
        services.approve(999_999, admin, 1)
    assert state(draft) == before

    # once submitted, it cannot be changed, nor submitted again
    application = submit(draft, manager, now=IN_1404)
    before = state(application)
    steps = (
        lambda found: services.update_application(
            found, manager, services.ApplicationData(BrandingWork.LOGO, 1_000, "دیگری")
        ),
        lambda found: services.add_invoice(found, manager, pdf()),
        lambda found: services.remove_invoice(found, manager, found.invoices[0].id),
        lambda found: services.submit(found, manager),
    )
    for step in steps:
        with pytest.raises(IllegalTransition), transaction():
            step(db.session.get(SubsidyApplication, application.id))
        assert_session_clean()
    assert state(application) == before

    # approved once only: a second approval writes nothing
    application = approve(application, admin, 30_000_000)
    before = state(application)
    with pytest.raises(services.AlreadyDecided), transaction():
        services.approve(application.id, admin, 30_000_000)
    with pytest.raises(services.AlreadyDecided), transaction():
        services.request_changes(application.id, admin, "دیر شد")
    assert state(application) == before
    assert count(LedgerTransaction) == 1


def test_submitting_needs_an_invoice(coop):
    draft = make(coop.ours, coop.manager, cost=50_000_000, uploads=[])
    before = state(draft)

    with pytest.raises(services.NoInvoice), transaction():
        services.submit(db.session.get(SubsidyApplication, draft.id), coop.manager)

    assert state(draft) == before


@pytest.mark.parametrize("cost", [0, -1, -50_000_000, MAX_COST + 1, 10**30, 1.5, "100", True])
def test_a_cost_that_is_not_a_real_one_is_refused(coop, cost):
    with pytest.raises(services.BadCost) as refused, transaction():
        services.create_application(
            reload(coop.ours),
            coop.manager,
            services.ApplicationData(BrandingWork.LOGO, cost, "چاپ نو"),
            [pdf()],
        )
    assert refused.value.field == "cost"
    assert count(SubsidyApplication) == 0 and invoices.invoice_store().root.exists() is False


def test_the_largest_cost_is_taken(coop):
    application = make(coop.ours, coop.manager, cost=MAX_COST)
    assert application.cost == MAX_COST


def test_a_supplier_is_needed(coop):
    with pytest.raises(services.SupplierMissing), transaction():
        services.create_application(
            reload(coop.ours),
            coop.manager,
            services.ApplicationData(BrandingWork.LOGO, 1_000, "  "),
        )
    assert count(SubsidyApplication) == 0


def test_only_the_cooperatives_managers_apply_and_only_admins_decide(coop):
    ours, manager, admin = coop.ours, coop.manager, coop.admin
    data = services.ApplicationData(BrandingWork.LOGO, 50_000_000, "چاپ نو")
    for outsider in (coop.other_manager, coop.programme, admin):
        with pytest.raises(NotAllowed), transaction():
            services.create_application(reload(ours), outsider, data, [pdf()])
    assert count(SubsidyApplication) == 0

    draft = make(ours, manager, cost=50_000_000)
    before = state(draft)
    for outsider in (coop.other_manager, coop.programme):
        for step in (
            lambda found, who=outsider: services.update_application(found, who, data),
            lambda found, who=outsider: services.submit(found, who),
            lambda found, who=outsider: services.add_invoice(found, who, pdf()),
        ):
            with pytest.raises(NotAllowed), transaction():
                step(db.session.get(SubsidyApplication, draft.id))
    assert state(draft) == before

    application = submit(draft, manager, now=IN_1404)
    before = state(application)
    for outsider in (manager, coop.other_manager, coop.programme):
        for step in (
            lambda who=outsider: services.approve(application.id, who, 1_000),
            lambda who=outsider: services.reject(application.id, who, "نه"),
            lambda who=outsider: services.request_changes(application.id, who, "نه"),
            lambda who=outsider: services.set_rules(who, 5_000, 1_000),
        ):
            with pytest.raises(NotAllowed), transaction():
                step()
    assert state(application) == before
    assert services.queries.current_rule() == (6_000, 100_000_000)


@pytest.mark.parametrize(
    ("rate_bp", "cap", "error"),
    [
        (0, 100_000_000, services.BadRate),
        (10_001, 100_000_000, services.BadRate),
        (-100, 100_000_000, services.BadRate),
        (6_000, 0, services.BadCap),
        (6_000, -1, services.BadCap),
        (6_000, 10**15 + 1, services.BadCap),
    ],
)
def test_a_rule_out_of_bounds_is_refused(coop, rate_bp, cap, error):
    with pytest.raises(error), transaction():
        services.set_rules(coop.admin, rate_bp, cap)
    assert services.queries.current_rule() == (6_000, 100_000_000)
    assert count(AuditEntry) == 0


def test_a_new_rule_is_saved_and_logged(coop):
    with transaction():
        services.set_rules(coop.admin, 10_000, 1)
    with transaction():
        services.set_rules(coop.admin, 10_000, 1)  # the same again: nothing to log

    assert services.queries.current_rule() == (10_000, 1)
    [entry] = db.session.scalars(select(AuditEntry)).all()
    assert (entry.action, entry.subject, entry.actor_id) == (
        "subsidy.rules",
        "subsidies",
        coop.admin.id,
    )
    assert json.loads(entry.before) == {"rate_bp": 6_000, "cap": 100_000_000}
    assert json.loads(entry.after) == {"rate_bp": 10_000, "cap": 1}


def run_batch(admin):
    with transaction():
        return payouts.run_batch(admin)


def confirm(batch, admin):
    with transaction():
        payouts.confirm_batch(batch.id, admin, reload(batch).total)
    return reload(batch)


def test_a_payout_batch_pays_the_subsidies_granted_before_it_was_made(coop, second_manager):
    ours, manager, admin = coop.ours, coop.manager, coop.admin

    # Given a subsidy approved before the batch was made, and one approved after
    early = granted(ours, manager, admin, cost=50_000_000, now=IN_1404)
    assert early.approved_amount == 30_000_000
    batch = run_batch(admin)
    [payout] = batch.paid_lines
    assert (payout.account, payout.amount) == (f"cooperative:{ours.id}", 30_000_000)
    late = granted(ours, manager, admin, cost=20_000_000, now=IN_1404)
    assert late.approved_amount == 12_000_000

    # When the batch is confirmed as paid
    batch = confirm(batch, admin)

    # Then the early one is paid, by that payout; the late one waits for the next batch
    early, late = reload(early), reload(late)
    assert early.status is SubsidyStatus.PAID
    assert (early.payout_id, early.paid_at is not None) == (payout.id, True)
    assert late.status is SubsidyStatus.APPROVED and late.payout_id is None
    assert actions(early)[-1] == "subsidy.paid"
    paid_entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "subsidy.paid"))
    assert json.loads(paid_entry.after) == {
        "status": "paid",
        "approved_amount": 30_000_000,
        "payout_id": payout.id,
        "batch": batch.reference,
    }
    for user in (manager, second_manager):
        assert sum(batch.reference in mail.body for mail in mails_to(user)) == 1
    assert ledger.cooperative_earnings(ours.id).balance.available == 12_000_000
    assert ledger.balance_of(SUBSIDY_FUND).balance == -42_000_000
    assert ledger.balance_of("bank").balance == 30_000_000
    assert ledger.check_books().ok

    # And the next batch pays the late one
    second = confirm(run_batch(admin), admin)
    late = reload(late)
    assert late.status is SubsidyStatus.PAID and late.payout_id == second.paid_lines[0].id
    assert reload(early).payout_id == payout.id
    assert ledger.cooperative_earnings(ours.id).balance.available == 0
    assert ledger.check_books().ok


def test_a_cancelled_batch_pays_no_subsidy(coop):
    application = granted(coop.ours, coop.manager, coop.admin, cost=50_000_000, now=IN_1404)
    batch = run_batch(coop.admin)

    with transaction():
        payouts.cancel_batch(batch.id, coop.admin)

    assert reload(application).status is SubsidyStatus.APPROVED
    assert reload(application).payout_id is None
