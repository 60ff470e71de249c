"""The programme's impact dashboard (admins and the programme role), its exports, the training
figures admins enter, and the public /impact page."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("impact", __name__)
