"""Fee settings an admin changes at run time: the bounds a cooperative's commission must keep
within (0–15% by default). Stored as rows, so the admin's choice survives restarts; read with
the configured default when never set."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from shop.extensions import db

DEFAULTS = {"commission_min_bp": 0, "commission_max_bp": 1_500}


class Setting(db.Model):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[int]


def get_setting(key: str) -> int:
    row = db.session.get(Setting, key)
    return row.value if row is not None else DEFAULTS[key]


def put_setting(key: str, value: int) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value
    db.session.flush()
