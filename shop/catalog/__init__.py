"""The public catalogue: home, categories, products."""
