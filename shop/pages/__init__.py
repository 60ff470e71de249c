"""The site's own pages: about, contact and support, terms of use, privacy."""
