"""Catalogue search: a Persian-aware index behind a small backend interface."""
