"""The compliance app's services: settings, keywords, the opt-out register, consent, reviews, checks, Lookup."""
