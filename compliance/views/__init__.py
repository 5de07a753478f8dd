"""The compliance pages of the tenant UI, one module per page area."""
