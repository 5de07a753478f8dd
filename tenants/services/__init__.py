"""Write operations on the public schema, one module per entity: tenants (lifecycle, settings), memberships,
API keys and stored secrets."""
