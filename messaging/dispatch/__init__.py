"""The dispatch engine: every outbound message leaves at its sender's pace, once, from any number of workers.

PostgreSQL holds the messages; Redis holds an index of what to send next, rebuilt from PostgreSQL whenever it is lost
(DESIGN.md invariant 1). Per sender there are two lanes in Redis, priority and bulk, each a sorted set of message
ids by the time they are due; bulk is served only when priority has nothing due. A sender's segment bucket (GCRA)
admits a message when its debt is paid and then charges its segments, so a sender never goes faster than its MPS
and a long message never starves. A sorted set of lanes by the time each may next send tells workers where to look.

A worker takes a message from a lane, then claims it in PostgreSQL with a conditional update (queued → sending)
before it asks Twilio (invariant 2): a message taken twice is claimed once. Requests in flight per tenant (one
Twilio subaccount each) are held by a leased semaphore, which also keeps each tenant within its share of the
workers while others wait. Celery messages only wake the engine: drains are bounded tasks that re-enqueue
themselves while work remains, and beat wakes them every second and sweeps every tenant for work whose index
entry or worker was lost.

Modules: `keys` (Redis key names), `scripts` (the Lua scripts), `redis_index` (lanes, holds, buckets,
semaphores), `sending` (claim, send, record, retry and reconcile one message), `drain` (the worker loop),
`sweeper` (rebuilding the index and resolving stranded messages).
"""
