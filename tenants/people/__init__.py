"""The people of a tenant: invitations, roles, password reset, two-factor sign-in and sign-in throttling."""
