"""The payment provider interface. A provider is one module with one class; orders call it
through these four operations and never know which provider it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from flask_babel import lazy_gettext as _l

from shop.errors import DomainError

if TYPE_CHECKING:
    from shop.orders.models import Order
    from shop.payments.models import Payment, PaymentStatus


@dataclass(frozen=True)
class Started:
    """What starting a payment did: the payments created, and where to send the buyer (None
    when nothing is to be paid now, as with cash on delivery)."""

    payments: list[Payment]
    redirect_url: str | None = None
    #: The order goes to its producers at once (cash) rather than after the payment.
    fulfil_now: bool = False


class PaymentProvider(Protocol):
    #: Stored on orders and payments; also the checkout form's value.
    code: str

    def start(self, order: Order) -> Started:
        """Create the payments for a just-placed order (and ask the provider for them)."""

    def confirm(self, payment: Payment) -> None:
        """Mark ``payment`` captured once the money is known to have arrived."""

    def cancel(self, payment: Payment) -> None:
        """Give up on a payment not captured (the order or its parcel was cancelled)."""

    def lookup(self, payment: Payment) -> PaymentStatus:
        """The payment's status as the provider knows it."""


class OwnRecords:
    """``confirm``, ``cancel`` and ``lookup`` kept on our own payment rows: what every provider
    here shares (what the provider itself says is asked for by each one's settle step)."""

    def confirm(self, payment: Payment) -> None:
        from shop.database import utcnow
        from shop.payments.models import PaymentStatus

        payment.status.check_transition(PaymentStatus.CAPTURED)
        payment.status = PaymentStatus.CAPTURED
        payment.captured_at = utcnow()
        payment.verifying_until = None

    def cancel(self, payment: Payment) -> None:
        from shop.payments.models import PaymentStatus

        payment.status.check_transition(PaymentStatus.CANCELLED)
        payment.status = PaymentStatus.CANCELLED
        payment.verifying_until = None

    def lookup(self, payment: Payment) -> PaymentStatus:
        return payment.status


class NotAwaitingPayment(DomainError):
    message = _l("This order is not waiting for a payment.")


@dataclass(frozen=True)
class Outcome:
    """What a provider's return (callback, success page) or the reconciler found, for the
    page the buyer sees."""

    order_number: str
    #: paid | not_paid | pending (could not confirm yet) | too_late | mismatch
    result: str


class PaidOnline(OwnRecords):
    """A provider paid for the whole order at once, online: one payment for its total (a new
    one for each later attempt)."""

    code: str

    def start(self, order: Order) -> Started:
        from shop.extensions import db
        from shop.payments.models import Payment

        payment = Payment(
            order=order, provider=self.code, amount=order.total, currency=order.currency
        )
        db.session.add(payment)
        return Started([payment])

    def attempt(self, order_id: int):
        """In the caller's transaction: the order (locked), waiting for a payment with this
        provider, and the payment to ask the provider for now — the one not asked about yet,
        or, for a retry, a new attempt beside the earlier ones. Raises ``NotAwaitingPayment``."""
        from shop.database import lock_row
        from shop.extensions import db
        from shop.orders.models import Order, OrderStatus
        from shop.payments.models import Payment, PaymentStatus

        order = db.session.get(Order, order_id)
        lock_row(order)
        if order.status is not OrderStatus.AWAITING_PAYMENT or order.payment_method != self.code:
            raise NotAwaitingPayment()
        payment = next(
            (p for p in order.payments if p.status is PaymentStatus.PENDING and not p.reference),
            None,
        )
        if payment is None:
            payment = Payment(
                order=order, provider=self.code, amount=order.total, currency=order.currency
            )
            db.session.add(payment)
        db.session.flush()
        return order, payment

    def keep_reference(self, payment_id: int, reference: str) -> None:
        """The provider's id for the attempt, once it answered (its own transaction)."""
        from shop.database import lock_row, transaction
        from shop.extensions import db
        from shop.payments.models import Payment, PaymentStatus

        with transaction():
            payment = db.session.get(Payment, payment_id)
            lock_row(payment)
            if payment.status is PaymentStatus.PENDING and not payment.reference:
                payment.reference = reference[:120]


_providers: dict[str, PaymentProvider] = {}


def register(provider: PaymentProvider) -> PaymentProvider:
    _providers[provider.code] = provider
    return provider


def get_provider(code: str) -> PaymentProvider | None:
    _load_builtin()
    return _providers.get(code)


def is_offered(provider: PaymentProvider) -> bool:
    """Whether this shop takes payments with it now (a provider without settings, or for
    another currency, is registered but not offered)."""
    check = getattr(provider, "is_enabled", None)
    return check() if check is not None else True


def provider_codes() -> list[str]:
    """The providers this shop offers, cash on delivery first."""
    _load_builtin()
    offered = [code for code, provider in _providers.items() if is_offered(provider)]
    return sorted(offered, key=lambda code: (code != "cash", code))


def _load_builtin() -> None:
    from shop.payments import cash, stripe_checkout, zarinpal  # noqa: F401  (they register)


def redirect_origins() -> list[str]:
    """The origins of the pages offered providers send buyers to (for the CSP's form-action)."""
    _load_builtin()
    origins = []
    for provider in _providers.values():
        origin = getattr(provider, "redirect_origin", None)
        if origin is not None and is_offered(provider):
            origins.append(origin())
    return origins
