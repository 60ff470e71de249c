"""Money rules an admin changes at run time: the bounds a cooperative's commission must keep
within (0–15% by default) and the branding subsidy's rate and yearly cap. Stored as rows, so
the admin's choice survives restarts; read with the default when never set — a constant, or
the configuration setting named here."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from shop.extensions import db

DEFAULTS: dict[str, int | str] = {
    "commission_min_bp": 0,
    "commission_max_bp": 1_500,
    "subsidy_rate_bp": "SHOP_SUBSIDY_RATE_BP",
    "subsidy_cap": "SHOP_SUBSIDY_CAP",
}


class Setting(db.Model):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


def get_setting(key: str) -> int:
    row = db.session.get(Setting, key)
    if row is not None:
        return int(row.value)
    default = DEFAULTS[key]
    return int(current_app.config[default]) if isinstance(default, str) else default


def put_setting(key: str, value: int) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value
    db.session.flush()
