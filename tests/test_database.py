"""shop/database.py: one transaction per operation, committed in one place, and row locks."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select, text

from shop.accounts.models import User
from shop.database import (
    TransactionError,
    lock_row,
    on_commit,
    on_rollback,
    transaction,
)
from shop.errors import DomainError
from shop.extensions import db
from shop.listings import services as listings
from shop.listings.models import Product
from shop.producers import services as producers
from shop.producers.models import ProducerStatus
from tests.conftest import count, reload
from tests.snapshots import DATABASE_URL


def test_a_transaction_commits_when_its_block_ends(factory):
    user = factory.user()

    with transaction():
        user.display_name = "نام تازه"

    assert reload(user).display_name == "نام تازه"


def test_a_transaction_that_raises_changes_nothing(factory):
    user = factory.user()

    with pytest.raises(RuntimeError), transaction():
        user.display_name = "نام تازه"
        db.session.flush()
        raise RuntimeError("boom")

    assert reload(user).display_name != "نام تازه"


def test_a_nested_block_joins_the_outer_one(factory):
    user = factory.user()

    with transaction():
        with transaction():
            user.display_name = "درونی"
        # Not committed yet: the outer block decides
        assert user in db.session.dirty or db.session.is_modified(user)
        user.phone = "09120000000"

    stored = reload(user)
    assert (stored.display_name, stored.phone) == ("درونی", "09120000000")


def test_a_failed_nested_block_undoes_the_whole_operation_even_if_caught(factory):
    user = factory.user()

    with pytest.raises(TransactionError), transaction():
        user.phone = "09120000000"
        try:
            with transaction():
                user.display_name = "نیمه‌کاره"
                raise DomainError("refused")
        except DomainError:
            pass  # swallowing the refusal must not commit half an operation

    stored = reload(user)
    assert (stored.display_name, stored.phone) != ("نیمه‌کاره", "09120000000")
    assert stored.phone is None


def test_two_services_make_one_atomic_operation(factory):
    # Given an applicant (not yet approved)
    producer = factory.producer(approved=False)

    # When one operation approves the shop and then lists a piece in an unknown category
    with pytest.raises(listings.UnknownCategory), transaction():
        producers.approve_producer(producer)
        listings.create_listing(
            producer,
            listings.ListingData(
                title="گلیم",
                description="",
                description_format=listings.DescriptionFormat.PLAIN,
                category_id=999_999,
                price=1_000_000,
                is_made_to_order=False,
                stock_quantity=1,
                lead_time_days=None,
            ),
            [],
        )

    # Then the approval was undone with the listing: nothing of the operation is left
    assert reload(producer).status is ProducerStatus.APPLIED
    assert count(Product) == 0


def test_after_commit_steps_run_only_after_a_commit(ctx):
    ran = []

    with transaction():
        on_commit(lambda: ran.append("commit"))
        on_rollback(lambda: ran.append("rollback"))
        assert ran == []

    assert ran == ["commit"]


def test_a_step_after_the_commit_may_run_an_operation_of_its_own(factory):
    user = factory.user(name="پیش")

    def rename():
        with transaction():
            db.session.get(User, user.id).display_name = "پس"

    with transaction():
        on_commit(rename)

    assert reload(user).display_name == "پس"  # committed by its own operation, not joined


def test_after_rollback_steps_run_only_after_a_rollback(ctx):
    ran = []

    with pytest.raises(RuntimeError), transaction():
        on_commit(lambda: ran.append("commit"))
        on_rollback(lambda: ran.append("rollback"))
        raise RuntimeError("boom")

    assert ran == ["rollback"]


def test_a_failing_commit_runs_the_rollback_steps(factory):
    factory.user(email="taken@example.com")
    ran = []

    with pytest.raises(Exception, match=r"UNIQUE|unique|duplicate"), transaction():
        on_rollback(lambda: ran.append("rollback"))
        db.session.add(User(email="taken@example.com", password_hash="!", display_name="x"))

    assert ran == ["rollback"]


def test_steps_outside_a_transaction_are_refused(ctx):
    with pytest.raises(TransactionError):
        on_commit(lambda: None)
    with pytest.raises(TransactionError):
        on_rollback(lambda: None)


def _add_one_to_the_phone(app, user_id: int, locked: bool, barrier: threading.Barrier, errors):
    try:
        with app.app_context():
            user = db.session.get(User, user_id)
            barrier.wait(5)
            with transaction():
                if locked:
                    lock_row(user)
                current = int(user.phone or "0")
                time.sleep(0.2)  # both have read before either writes, without the lock
                user.phone = str(current + 1)
            db.session.remove()
    except Exception as exc:  # reported by the test
        errors.append(exc)


@pytest.mark.parametrize("locked", [True, False])
def test_lock_row_makes_concurrent_read_modify_write_take_turns(app, factory, locked):
    user_id = factory.user().id
    db.session.remove()
    barrier, errors = threading.Barrier(2), []
    threads = [
        threading.Thread(target=_add_one_to_the_phone, args=(app, user_id, locked, barrier, errors))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    phone = db.session.scalar(select(User.phone).where(User.id == user_id))
    if locked:
        assert errors == []
        assert phone == "2"
    else:
        # Without the lock the second writer overwrites the first (or, on SQLite, fails):
        # this is what the lock is for.
        assert phone == "1" or errors


@pytest.mark.skipif(bool(DATABASE_URL), reason="an SQLite setting")
def test_sqlite_connections_use_the_configured_synchronous_setting(app, new_app):
    def synchronous(of_app) -> int:
        with of_app.app_context():
            try:
                return db.session.execute(text("PRAGMA synchronous")).scalar()
            finally:
                db.session.remove()

    assert synchronous(app) == 0  # OFF: the tests' throwaway databases
    assert synchronous(new_app(SHOP_SQLITE_SYNCHRONOUS="FULL")) == 2
    assert synchronous(new_app(SHOP_SQLITE_SYNCHRONOUS="NORMAL")) == 1
