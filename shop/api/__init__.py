"""The JSON API, version 1 (catalogue)."""
