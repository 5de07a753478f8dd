"""Outbound webhooks to tenants' own systems, the pure part: the event types, the signature scheme, which URLs and
addresses a delivery may go to, and when to try a failed delivery again."""
