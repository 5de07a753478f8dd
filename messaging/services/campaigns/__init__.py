"""Campaigns: drafts (`drafts`), their audience (`audience`), what each recipient gets (`content`, `expansion`), the
preflight (`preflight`), the state machine (`lifecycle`) and the fan-out into messages (`fanout`)."""
