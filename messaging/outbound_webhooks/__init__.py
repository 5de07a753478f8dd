"""Outbound webhooks: tenants' own systems told, signed, what happened to their messages.

`publish.webhook_event_publish` is the one function the rest of the code calls: inside the caller's transaction it
writes a delivery per enabled endpoint subscribed to the event, and sends them once that commits. `delivery` claims
a delivery, POSTs it (signed; `messaging.domain.webhooks.signing`) to an address checked again just before, records
the attempt, retries with backoff and disables an endpoint that keeps failing (its owners and admins are emailed).
`endpoints` holds the services behind the UI and API; `sweep` resumes what a lost wake-up or a dead worker left.
"""
