"""Tenant-schema tables of the messaging app, one module per area."""

from messaging.models.campaigns import Campaign, CampaignVariant
from messaging.models.contacts import Contact, ContactList, ContactListMembership, ImportJob, ImportRejection
from messaging.models.insight_totals import InsightDayTotal, InsightHourTotal
from messaging.models.insights import (
    InsightClickHour,
    InsightCursor,
    InsightDay,
    InsightDelta,
    InsightOptOutHour,
    InsightRollup,
)
from messaging.models.links import LinkClick, TrackedLink
from messaging.models.messages import IdempotencyKey, Message, MessageEvent, WebhookReplay
from messaging.models.plans import SenderPlan
from messaging.models.senders import Sender, SenderPool, StickySender
from messaging.models.sequences import Sequence, SequencePart
from messaging.models.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = [
    "Campaign",
    "CampaignVariant",
    "Contact",
    "ContactList",
    "ContactListMembership",
    "IdempotencyKey",
    "ImportJob",
    "ImportRejection",
    "InsightClickHour",
    "InsightCursor",
    "InsightDay",
    "InsightDayTotal",
    "InsightDelta",
    "InsightHourTotal",
    "InsightOptOutHour",
    "InsightRollup",
    "LinkClick",
    "Message",
    "MessageEvent",
    "Sender",
    "SenderPlan",
    "SenderPool",
    "Sequence",
    "SequencePart",
    "StickySender",
    "TrackedLink",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookReplay",
]
