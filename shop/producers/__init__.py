"""Producers: applying, the shop's brand, managing listings, the public shop page."""
