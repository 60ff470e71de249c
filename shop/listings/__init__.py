"""Listings: what producers make and sell — creating, editing, photos, moderation."""
