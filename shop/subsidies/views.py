"""Branding-subsidy applications: the cooperative's side and the admins' review."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("subsidies", __name__)
