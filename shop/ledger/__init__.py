"""The ledger: every sale, refund and payout as balanced double entries."""
