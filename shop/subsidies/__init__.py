"""Branding subsidies: cooperatives apply, admins decide, the subsidy fund pays."""
