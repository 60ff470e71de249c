"""Orders: checkout and delivery."""
