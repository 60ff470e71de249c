"""A cooperative's sales reports: the page, its exports and the printable monthly statement."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reports", __name__)
