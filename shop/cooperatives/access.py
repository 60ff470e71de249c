"""Who may see a cooperative's own pages: its managers, and the shop's admins. To anyone else
the cooperative's pages do not exist (404), so that not even its id or a figure leaks."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from shop.cooperatives.models import Cooperative
from shop.cooperatives.services import is_manager
from shop.extensions import db


def may_see(user, cooperative: Cooperative) -> bool:
    return user.is_authenticated and (user.is_admin or is_manager(user, cooperative))


def managed_or_404(cooperative_id: int, *, admins: bool = True) -> Cooperative:
    """The cooperative, if the signed-in person manages it (or, when ``admins``, is an admin);
    otherwise 404."""
    cooperative = db.session.get(Cooperative, cooperative_id)
    if cooperative is None or not current_user.is_authenticated:
        abort(404)
    if is_manager(current_user, cooperative) or (admins and current_user.is_admin):
        return cooperative
    abort(404)
