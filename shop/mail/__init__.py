"""E-mail: messages written in the same transaction as what they announce, sent after it
commits (and after the response), retried by ``shop mail send``."""
