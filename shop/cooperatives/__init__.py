"""Cooperatives and training centres: public pages and the managers' member requests."""
