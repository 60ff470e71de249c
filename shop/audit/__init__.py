"""The audit log: who did what to money and settings, when, and what it was before and after."""
