"""Payout batches: available balances paid to producers' and cooperatives' bank accounts."""
