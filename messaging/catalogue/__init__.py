"""The sender catalogue: sender types, country rules and 10DLC trust tiers, kept in the public schema."""
