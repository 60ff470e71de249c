"""The rates a sale is split by: a cooperative's commission, set by an admin within bounds the
admin sets (0–15% by default). Every change is audit-logged; an order line keeps the rate it was
placed with, so a change applies to orders placed after it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shop.audit.services import record
from shop.cooperatives.models import Cooperative
from shop.database import lock_row
from shop.errors import DomainError
from shop.extensions import db
from shop.i18n import format_basis_points
from shop.ledger.settings import get_setting, put_setting

#: What the database allows at all (its check constraint on cooperatives).
HIGHEST_BP = 5_000


class RateOutOfBounds(DomainError):
    field = "commission_bp"

    def __init__(self, low: int, high: int) -> None:
        super().__init__(
            message=_l(
                "A cooperative's commission must be from %(low)s to %(high)s.",
                low=format_basis_points(low),
                high=format_basis_points(high),
            )
        )


class BadBounds(DomainError):
    field = "high"
    message = _l("The lowest rate must not be above the highest, and the highest at most 50%.")


class BoundsLeaveCooperativeOut(DomainError):
    field = "high"

    def __init__(self, name: str) -> None:
        super().__init__(
            message=_l(
                "%(name)s's commission would be outside these bounds: change it first.", name=name
            )
        )


def commission_bounds() -> tuple[int, int]:
    return get_setting("commission_min_bp"), get_setting("commission_max_bp")


def check_commission(bp: int) -> int:
    low, high = commission_bounds()
    if not low <= bp <= high:
        raise RateOutOfBounds(low, high)
    return bp


def set_commission_rate(cooperative: Cooperative, bp: int, actor) -> None:
    check_commission(bp)
    lock_row(cooperative)
    before = cooperative.commission_bp
    if before == bp:
        return
    cooperative.commission_bp = bp
    record(
        actor,
        "cooperative.commission",
        f"cooperative:{cooperative.id}",
        {"commission_bp": before},
        {"commission_bp": bp},
    )
    db.session.flush()


def set_commission_bounds(low: int, high: int, actor) -> None:
    if not 0 <= low <= high <= HIGHEST_BP:
        raise BadBounds()
    outside = db.session.scalar(
        select(Cooperative)
        .where((Cooperative.commission_bp < low) | (Cooperative.commission_bp > high))
        .order_by(Cooperative.name)
        .limit(1)
    )
    if outside is not None:
        raise BoundsLeaveCooperativeOut(outside.name)
    before = commission_bounds()
    if before == (low, high):
        return
    put_setting("commission_min_bp", low)
    put_setting("commission_max_bp", high)
    record(
        actor,
        "fees.commission_bounds",
        "fees",
        {"low_bp": before[0], "high_bp": before[1]},
        {"low_bp": low, "high_bp": high},
    )
