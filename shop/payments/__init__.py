"""Payments: one small interface that every provider implements, and the payment rows."""
