"""Subsidy arithmetic across several applications in one year, across the Jalali new-year
boundary (Nowruz), and with rate and cap changed between applications: an application keeps
the rule in force when it was first submitted. Exact amounts, in rials (the defaults: 60% of
the cost, up to 100,000,000 rials = 10,000,000 toman a year)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.database import transaction
from shop.extensions import db
from shop.ledger.models import LedgerTransaction
from shop.mail.models import OutgoingMail
from shop.subsidies import queries, services
from shop.subsidies.models import SubsidyApplication, SubsidyStatus
from tests.conftest import count, reload
from tests.subsidies.conftest import (
    AFTER_NOWRUZ,
    BEFORE_NOWRUZ,
    IN_1404,
    IN_1405,
    approve,
    granted,
    make,
    submit,
    submitted,
)


def rule_of(application) -> tuple:
    return (application.rate_bp, application.cap, application.jalali_year)


def test_applications_in_one_year_share_its_cap_until_it_is_used_up(coop):
    ours, manager, admin = coop.ours, coop.manager, coop.admin

    # Given 12,000,000 toman of packaging: 60% is 7,200,000 toman, within the cap
    first = granted(ours, manager, admin, cost=120_000_000, now=IN_1404)
    assert (first.computed_amount, first.approved_amount) == (72_000_000, 72_000_000)
    assert rule_of(first) == (6_000, 100_000_000, 1404)

    # When a second one's 60% (6,000,000 toman) passes what is left (2,800,000 toman)
    second = submitted(ours, manager, cost=100_000_000, now=IN_1404)
    assert second.computed_amount == 28_000_000
    second = approve(second, admin, 28_000_000)
    assert queries.granted_in_year(ours.id, 1404) == 100_000_000
    summary = queries.year_summary(ours.id, now=IN_1404)
    assert (summary.year, summary.cap, summary.granted, summary.remaining) == (
        1404,
        100_000_000,
        100_000_000,
        0,
    )

    # Then a third in the same year is refused: the cap is used up, and nothing changed
    third = make(ours, manager, cost=10_000_000)
    with pytest.raises(services.CapUsedUp), transaction():
        services.submit(db.session.get(SubsidyApplication, third.id), manager, now=IN_1404)
    third = reload(third)
    assert third.status is SubsidyStatus.DRAFT
    assert rule_of(third) == (None, None, None) and third.computed_amount is None
    assert count(AuditEntry, AuditEntry.subject == f"subsidy:{third.id}") == 0

    # And the next Jalali year starts again from a whole cap
    third = submit(third, manager, now=IN_1405)
    assert rule_of(third) == (6_000, 100_000_000, 1405)
    assert third.computed_amount == 6_000_000
    assert queries.year_summary(ours.id, now=IN_1405).remaining == 100_000_000


def test_nowruz_divides_the_years_and_an_application_counts_against_its_own(coop):
    ours, manager, admin = coop.ours, coop.manager, coop.admin

    # Given, one minute before Nowruz 1404 (Tehran time), 90,000,000 rials granted for 1403
    first = granted(ours, manager, admin, cost=150_000_000, now=BEFORE_NOWRUZ)
    assert (first.jalali_year, first.approved_amount) == (1403, 90_000_000)
    # and another submitted then: 10,000,000 rials are left of 1403's cap
    late = submitted(ours, manager, cost=50_000_000, now=BEFORE_NOWRUZ)
    assert (late.jalali_year, late.computed_amount) == (1403, 10_000_000)

    # When one is submitted a minute after Nowruz
    fresh = submitted(ours, manager, cost=50_000_000, now=AFTER_NOWRUZ)

    # Then it counts against 1404's whole cap: 60% of 50,000,000
    assert (fresh.jalali_year, fresh.computed_amount) == (1404, 30_000_000)
    fresh = approve(fresh, admin, 30_000_000, now=AFTER_NOWRUZ)

    # And the one submitted in 1403 still counts against 1403, even approved in 1404
    with pytest.raises(services.AboveAllowed), transaction():
        services.approve(late.id, admin, 10_000_001, now=AFTER_NOWRUZ)
    late = approve(late, admin, 10_000_000, now=AFTER_NOWRUZ)
    assert queries.granted_in_year(ours.id, 1403) == 100_000_000
    assert queries.granted_in_year(ours.id, 1404) == 30_000_000
    assert queries.year_summary(ours.id, now=AFTER_NOWRUZ).remaining == 70_000_000


def test_each_application_keeps_the_rule_in_force_when_first_submitted(coop):
    ours, manager, admin = coop.ours, coop.manager, coop.admin

    # Given one submitted under the default rule (60%, 100,000,000 a year)
    first = submitted(ours, manager, cost=100_000_000, now=IN_1404)
    assert (rule_of(first), first.computed_amount) == ((6_000, 100_000_000, 1404), 60_000_000)

    # When the rule becomes 50% up to 80,000,000, and another is submitted
    with transaction():
        services.set_rules(admin, 5_000, 80_000_000)
    second = submitted(ours, manager, cost=40_000_000, now=IN_1404)
    assert (rule_of(second), second.computed_amount) == ((5_000, 80_000_000, 1404), 20_000_000)

    # and it is sent back, the rule changes again (70%, 200,000,000), and it comes back bigger
    with transaction():
        services.request_changes(second.id, admin, "فاکتور دوم را هم بفرستید.")
    with transaction():
        services.set_rules(admin, 7_000, 200_000_000)
    with transaction():
        services.update_application(
            db.session.get(SubsidyApplication, second.id),
            manager,
            services.ApplicationData(work=second.work, cost=60_000_000, supplier="چاپ نو"),
        )
    second = submit(second, manager, now=IN_1404)

    # Then it keeps the rule of its first submission: 50% of 60,000,000, under 80,000,000
    assert (rule_of(second), second.computed_amount) == ((5_000, 80_000_000, 1404), 30_000_000)

    # And each is approved by its own rule: the first up to its 100,000,000 cap
    first = approve(first, admin, 60_000_000)
    # the second only within what its own 80,000,000 cap leaves after the first's grant
    assert queries.arithmetic_of(reload(second)).arithmetic.amount == 20_000_000
    with pytest.raises(services.AboveAllowed) as refused, transaction():
        services.approve(second.id, admin, 30_000_000)
    assert refused.value.allowed == 20_000_000
    second = approve(second, admin, 20_000_000)

    # And one submitted now follows the rule now: 70% of 100,000,000 within 200,000,000 − 80,000,000
    third = submitted(ours, manager, cost=100_000_000, now=IN_1404)
    assert (rule_of(third), third.computed_amount) == ((7_000, 200_000_000, 1404), 70_000_000)
    summary = queries.year_summary(ours.id, now=IN_1404)
    assert (summary.rate_bp, summary.cap, summary.granted, summary.remaining) == (
        7_000,
        200_000_000,
        80_000_000,
        120_000_000,
    )


def test_an_approval_above_what_is_allowed_changes_nothing(coop):
    ours, manager, admin = coop.ours, coop.manager, coop.admin
    application = submitted(ours, manager, cost=120_000_000, now=IN_1404)
    mails = count(OutgoingMail)

    for amount in (72_000_001, 100_000_000, 0, -5):
        with pytest.raises((services.AboveAllowed, services.AmountNotPositive)), transaction():
            services.approve(application.id, admin, amount)

    application = reload(application)
    assert application.status is SubsidyStatus.SUBMITTED
    assert (application.approved_amount, application.reviewer_id, application.decided_at) == (
        None,
        None,
        None,
    )
    assert count(LedgerTransaction) == 0 and count(OutgoingMail) == mails
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.subject == f"subsidy:{application.id}")
    ).all()
    assert actions == ["subsidy.submit"]


def test_less_than_allowed_may_be_granted_and_the_rest_stays_in_the_cap(coop):
    ours, manager, admin = coop.ours, coop.manager, coop.admin

    first = granted(ours, manager, admin, cost=120_000_000, amount=50_000_000, now=IN_1404)
    second = submitted(ours, manager, cost=120_000_000, now=IN_1404)

    assert first.approved_amount == 50_000_000
    assert second.computed_amount == 50_000_000  # the cap's other half


def test_a_cooperatives_cap_is_its_own(coop):
    granted(coop.ours, coop.manager, coop.admin, cost=200_000_000, now=IN_1404)

    theirs = submitted(coop.theirs, coop.other_manager, cost=120_000_000, now=IN_1404)

    assert queries.granted_in_year(coop.ours.id, 1404) == 100_000_000
    assert theirs.computed_amount == 72_000_000


def test_rejected_and_waiting_applications_do_not_count_against_the_cap(coop):
    ours, manager, admin = coop.ours, coop.manager, coop.admin
    refused = submitted(ours, manager, cost=150_000_000, now=IN_1404)
    with transaction():
        services.reject(refused.id, admin, "فاکتور معتبر نیست.")
    submitted(ours, manager, cost=150_000_000, now=IN_1404)  # waiting

    assert queries.granted_in_year(ours.id, 1404) == 0
    assert submitted(ours, manager, cost=150_000_000, now=IN_1404).computed_amount == 90_000_000
