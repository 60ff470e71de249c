"""The programme admin's pages: approvals, moderation, centres and cooperatives."""
