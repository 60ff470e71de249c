"""Cash on delivery, or at the centre: always enabled, needs nothing outside the shop. Each
producer collects their own parcel's money, so there is one payment per parcel, captured when
the producer says the cash was received."""

from __future__ import annotations

from shop.extensions import db
from shop.orders.models import ParcelStatus
from shop.payments.models import Payment
from shop.payments.providers import OwnRecords, Started, register


class CashOnDelivery(OwnRecords):
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


register(CashOnDelivery())
