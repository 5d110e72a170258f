"""The audit trail: an append-only, hash-chained log of what people did."""
