"""The payment provider interface. A provider is one module with one class; orders call it
through these four operations and never know which provider it is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

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
