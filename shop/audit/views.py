"""The audit log, for admins: who did what to money and settings, when, before and after."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from shop.accounts.models import Role
from shop.accounts.session import role_required
from shop.audit.queries import actions, list_entries
from shop.web import page_argument

bp = Blueprint("audit", __name__)


@bp.get("/admin/audit")
@role_required(Role.ADMIN)
def audit_log():
    known = actions()
    chosen = (request.args.get("action") or "")[:60]
    if chosen not in known:
        chosen = ""
    return render_template(
        "audit/log.html",
        page=list_entries(page_argument(), chosen),
        actions=known,
        chosen=chosen,
    )
