"""Twilio's webhooks on the platform host: status callbacks, inbound messages, and the inbound fallback URL.

Each request names its Twilio subaccount (`AccountSid`); the tenant is found by it, and the request's signature is
checked with that subaccount's own auth token (Twilio signs a subaccount's webhooks with the subaccount's token)
before any tenant table is touched: a bad or missing signature answers 403 and records nothing, an unknown account
404, a malformed form 400. The handlers write a row or two and answer; anything longer runs in a task.
"""
