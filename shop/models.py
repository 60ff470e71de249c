"""Import every model module so that SQLAlchemy and Alembic see the whole schema."""

from shop.accounts.models import Role, User, UserRole
from shop.audit.models import AuditEntry
from shop.cart.models import Cart, CartLine
from shop.catalog.models import Category
from shop.cooperatives.models import Centre, Cooperative, MembershipRequest, MembershipStatus
from shop.ledger.models import LedgerEntry, LedgerTransaction
from shop.ledger.settings import Setting
from shop.listings.models import Product, ProductPhoto, ProductStatus
from shop.mail.models import OutgoingMail
from shop.media.models import Image
from shop.orders.models import (
    Order,
    OrderLine,
    Parcel,
    ReturnLine,
    ReturnPhoto,
    ReturnRequest,
    SavedAddress,
    ShippingPolicy,
)
from shop.payments.models import Payment
from shop.payouts.models import Payout, PayoutBatch
from shop.producers.models import Producer, ProducerStatus
from shop.reports.models import TrainingRecord
from shop.search.models import SearchOutboxEntry
from shop.subsidies.models import SubsidyApplication, SubsidyInvoice

__all__ = [
    "AuditEntry",
    "Cart",
    "CartLine",
    "Category",
    "Centre",
    "Cooperative",
    "Image",
    "LedgerEntry",
    "LedgerTransaction",
    "MembershipRequest",
    "MembershipStatus",
    "Order",
    "OrderLine",
    "OutgoingMail",
    "Parcel",
    "Payment",
    "Payout",
    "PayoutBatch",
    "Producer",
    "ProducerStatus",
    "Product",
    "ProductPhoto",
    "ProductStatus",
    "ReturnLine",
    "ReturnPhoto",
    "ReturnRequest",
    "Role",
    "SavedAddress",
    "SearchOutboxEntry",
    "Setting",
    "ShippingPolicy",
    "SubsidyApplication",
    "SubsidyInvoice",
    "TrainingRecord",
    "User",
    "UserRole",
]
