"""Cash on delivery, or at the centre: always enabled, needs nothing outside the shop. Each
producer collects their own parcel's money, so there is one payment per parcel, captured when
the producer says the cash was received."""

from __future__ import annotations

from shop.database import utcnow
from shop.extensions import db
from shop.orders.models import ParcelStatus
from shop.payments.models import Payment, PaymentStatus
from shop.payments.providers import Started, register


class CashOnDelivery:
    code = "cash"

    def start(self, order) -> Started:
        payments = [
            Payment(
                order=order,
                parcel=parcel,
                provider=self.code,
                amount=parcel.total,
                currency=order.currency,
            )
            for parcel in order.parcels
            if parcel.total > 0 and parcel.status is not ParcelStatus.CANCELLED
        ]
        db.session.add_all(payments)
        return Started(payments, fulfil_now=True)

    def confirm(self, payment: Payment) -> None:
        payment.status.check_transition(PaymentStatus.CAPTURED)
        payment.status = PaymentStatus.CAPTURED
        payment.captured_at = utcnow()

    def cancel(self, payment: Payment) -> None:
        payment.status.check_transition(PaymentStatus.CANCELLED)
        payment.status = PaymentStatus.CANCELLED

    def lookup(self, payment: Payment) -> PaymentStatus:
        return payment.status


register(CashOnDelivery())
