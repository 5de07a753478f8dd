"""Tenant-schema tables of the messaging app, one module per area."""

from messaging.models.contacts import Contact
from messaging.models.plans import SenderPlan
from messaging.models.senders import Sender, SenderPool, StickySender

__all__ = ["Contact", "Sender", "SenderPlan", "SenderPool", "StickySender"]
