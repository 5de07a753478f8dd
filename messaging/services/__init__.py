"""Write operations on the messaging tables of the current tenant schema, one module per entity or concern:
contacts, senders and pools, numbers in the subaccount, the send guard, sender plans and their provisioning runs."""
