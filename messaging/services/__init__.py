"""Write operations on the messaging tables of the current tenant schema."""

from messaging.services.contacts import contact_upsert, normalize_phone_number
from messaging.services.senders import pool_create, pool_pick_sender, sender_register, sender_registration_move

__all__ = [
    "contact_upsert",
    "normalize_phone_number",
    "pool_create",
    "pool_pick_sender",
    "sender_register",
    "sender_registration_move",
]
