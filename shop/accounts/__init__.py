"""Accounts: registering, signing in and out, passwords."""
