"""A buyer's address book: addresses checked as the checkout checks them, one of them the
default. Nobody reads or changes another person's addresses."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shop.errors import DomainError, NotFound
from shop.extensions import db
from shop.orders.models import SavedAddress
from shop.orders.services import DeliveryAddress, check_address

#: Enough for home, work, a parent's and a centre; more is a mistake or an abuse.
MAX_ADDRESSES = 10


class TooManyAddresses(DomainError):
    message = _l("You can keep up to 10 addresses. Remove one to add another.")


def list_addresses(user) -> list[SavedAddress]:
    """The default first, then the newest."""
    return list(
        db.session.scalars(
            select(SavedAddress)
            .where(SavedAddress.user_id == user.id)
            .order_by(SavedAddress.is_default.desc(), SavedAddress.id.desc())
        )
    )


def get_address(user, address_id: int) -> SavedAddress:
    """The user's address ``address_id``; ``NotFound`` for anyone else's (or none)."""
    address = db.session.get(SavedAddress, address_id)
    if address is None or address.user_id != user.id:
        raise NotFound("not this user's address")
    return address


def _make_default(user, address: SavedAddress) -> None:
    for other in list_addresses(user):
        other.is_default = other.id == address.id
    address.is_default = True


def add_address(user, address: DeliveryAddress, make_default: bool = False) -> SavedAddress:
    checked = check_address(address)
    existing = list_addresses(user)
    if len(existing) >= MAX_ADDRESSES:
        raise TooManyAddresses()
    saved = SavedAddress(user_id=user.id, **vars(checked))
    db.session.add(saved)
    db.session.flush()
    if make_default or not existing:
        _make_default(user, saved)
    db.session.flush()
    return saved


def remember_address(user, address: DeliveryAddress) -> SavedAddress | None:
    """After a checkout: keep the address as the new default, unless the book already holds
    it (same recipient, street and postal code) or is full."""
    checked = check_address(address)
    book = list_addresses(user)
    same = (checked.recipient, checked.street_address, checked.postal_code)
    if len(book) >= MAX_ADDRESSES or any(
        (a.recipient, a.street_address, a.postal_code) == same for a in book
    ):
        return None
    return add_address(user, checked, make_default=True)


def update_address(user, address_id: int, address: DeliveryAddress) -> SavedAddress:
    saved = get_address(user, address_id)
    for name, value in vars(check_address(address)).items():
        setattr(saved, name, value)
    db.session.flush()
    return saved


def set_default_address(user, address_id: int) -> SavedAddress:
    saved = get_address(user, address_id)
    _make_default(user, saved)
    db.session.flush()
    return saved


def delete_address(user, address_id: int) -> None:
    """Remove an address; if it was the default, the newest other one becomes it."""
    saved = get_address(user, address_id)
    was_default = saved.is_default
    db.session.delete(saved)
    db.session.flush()
    if was_default:
        rest = list_addresses(user)
        if rest:
            _make_default(user, rest[0])
    db.session.flush()


def as_delivery_address(saved: SavedAddress) -> DeliveryAddress:
    return DeliveryAddress(
        recipient=saved.recipient,
        mobile=saved.mobile,
        province=saved.province,
        city=saved.city,
        street_address=saved.street_address,
        postal_code=saved.postal_code,
    )
