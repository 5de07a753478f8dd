"""A local Twilio sandbox: a stateful fake of the Twilio REST API subset Switchboard uses.

Run it with `python -m sandbox` (port 8025, page at http://localhost:8025/sandbox/; README.md lists the flags). The
real `twilio` client talks to it once its domains' `base_url` point here (reference/twilio.md §7). It imports neither
Django nor `twilio`, and of the platform only the pure `messaging.domain` (segment counting); state lives in memory
and is deterministic for a given `--seed` and request sequence.

What it serves
- API 2010-04-01: Accounts (subaccounts: create, suspend, reactivate, close), Messages (create, list, fetch,
  cancel, redact, delete), IncomingPhoneNumbers (buy by PhoneNumber or AreaCode, SmsUrl); Messaging v1 Services
  and their PhoneNumbers; Lookup v2 PhoneNumbers with line_type_intelligence. HTTP Basic auth per account, with
  parents acting on their subaccounts' 2010 paths; a per-account concurrency limit (429 / 20429).
- Senders with an MPS inferred from the address (long code 1, toll-free 3, other countries 10, short code 100,
  alphanumeric 10), each draining its own queue at that MPS counted in segments; the queue holds 10 hours of
  segments, or less for a shorter ValidityPeriod (21611 at the API, 30001 for Messaging Service sends, 30036 when
  a queued message expires).
- Status progression queued → sending → sent → delivered | undelivered (or failed), with seeded random latency per
  hop, posted as status callbacks signed with the owning (sub)account's token, retried once, sometimes twice.
- Handsets: `/sandbox/inbound` makes one send to a sender (signed inbound webhook, STOP/START/HELP with
  Twilio's scoping and auto-replies); the page shows every handset's inbox; `/sandbox/api/` is the control API.

Test numbers (as `To`)
    +15005550001  API 400 / 21211  invalid 'To' number
    +15005550002  API 400 / 21612  not reachable via SMS
    +15005550003  API 400 / 21408  no geo permission for the region
    +15005550004  API 400 / 21610  unsubscribed recipient
    +15005550009  API 400 / 21614  not a mobile number (Lookup: landline)
    +1555300xxxx  undelivered 30003  unreachable handset
    +1555500xxxx  undelivered 30005  unknown handset
    +1555600xxxx  undelivered 30006  landline or unreachable carrier
    +1555700xxxx  undelivered 30007  filtered
    +1555200xxxx  Lookup landline (undelivered 30006 when sent to)
    +1555210xxxx  Lookup fixedVoip (undelivered 30006 when sent to)
    +1555220xxxx  Lookup nonFixedVoip
Ranges are configurable (`--undelivered-ranges`, `--line-type-ranges`, or the control API).

Deliberate differences from Twilio
- A suspended account answers 403 / 20403 to API use and a closed one 401 / 20003; queued messages of an account
  that is no longer active fail with 30002.
- `Status=canceled` cancels queued (and accepted) messages; there is no SendAt scheduling.
- Keyword auto-replies land in the handset's inbox at once, without queueing; every Messaging Service behaves as if
  Advanced Opt-Out were enabled (OptOutType on its inbound webhooks).
- Price is set when a message is `sent`, at a flat rate per segment.
"""
