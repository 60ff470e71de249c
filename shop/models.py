"""Import every model module so that SQLAlchemy and Alembic see the whole schema."""

from shop.accounts.models import Role, User, UserRole
from shop.cart.models import Cart, CartLine
from shop.catalog.models import Category
from shop.cooperatives.models import Centre, Cooperative, MembershipRequest, MembershipStatus
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
from shop.producers.models import Producer, ProducerStatus
from shop.search.models import SearchOutboxEntry

__all__ = [
    "Cart",
    "CartLine",
    "Category",
    "Centre",
    "Cooperative",
    "Image",
    "MembershipRequest",
    "MembershipStatus",
    "Order",
    "OrderLine",
    "OutgoingMail",
    "Parcel",
    "Payment",
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
    "ShippingPolicy",
    "User",
    "UserRole",
]
