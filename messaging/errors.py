"""The messaging services' refusals, under one base; `config.api` and `config.forms` map them by type."""

from __future__ import annotations

from config.errors import ServiceError
from messaging.gateways.errors import GatewayError, OptedOutError, PermanentError


class MessagingError(ServiceError):
    """A request the messaging services refuse."""


class MessagingValidationError(MessagingError):
    """A value that is not valid: the field and the reason."""

    code = "validation_failed"


class UnprocessableInput(MessagingValidationError):
    """A well-formed value that a rule refuses: one that depends on other fields, on stored data, on today's date
    or on numbering plans, which no request schema can state (422 on the API, where 400 means "not as documented")."""

    status = 422
    code = "unprocessable"


class AlreadyExists(MessagingValidationError):
    """The value names something the tenant has already (409 on the API)."""

    status = 409
    code = "conflict"


class TenantNotSending(MessagingError):
    """The tenant may not send: suspended or closed by ISV staff."""

    status = 403

    def __init__(self, message: str, *, code: str, field: str | None = None):
        super().__init__(message, field=field)
        self.code = code


class SenderNotReady(MessagingError):
    """The sender's registration does not allow sending yet (Twilio would refuse it with 30032 or 30034)."""

    status = 409
    code = "sender_not_registered"


class SubaccountMissing(MessagingError):
    """The tenant has no Twilio subaccount yet."""

    status = 409
    code = "subaccount_missing"


class RegistrationRefused(MessagingError):
    """A registration move the sender's state machine does not allow."""

    status = 409
    code = "registration_transition_refused"


class RegistrationMoveNotPermitted(MessagingError):
    """A registration move that is for ISV staff only: approving, rejecting or suspending (a tenant may submit)."""

    status = 403
    code = "registration_move_staff_only"


class PlanNotProvisionable(MessagingError):
    """The plan is provisioned already, or being provisioned right now."""

    status = 409
    code = "plan_not_provisionable"


class ProviderRefused(MessagingError):
    """Twilio (or the sandbox) refused the request; the message carries its code and advice.

    422 when Twilio refused what was asked (a number not for sale, a bad recipient, an opted-out handset): asking
    again the same way will not work. 502 when Twilio or the way to it failed, or the account is misconfigured.
    """

    status = 502
    code = "provider_refused"

    def __init__(self, exc: GatewayError, *, field: str | None = None):
        super().__init__(str(exc), field=field)
        self.twilio_code = exc.code
        if isinstance(exc, PermanentError | OptedOutError):
            self.status = 422


class DailyCapReached(MessagingError):
    """The tenant created as many messages today (UTC) as its daily cap allows."""

    status = 429
    code = "daily_cap_reached"


class MessageNotCancelable(MessagingError):
    """The message has left (or is leaving) already."""

    status = 409
    code = "message_not_cancelable"


class SequenceNotCancelable(MessagingError):
    """The sequence has ended already (completed, halted, failed or canceled)."""

    status = 409
    code = "sequence_not_cancelable"


class IdempotencyKeyReused(MessagingError):
    """An Idempotency-Key sent again with a different request within its 24 hours."""

    status = 409
    code = "idempotency_key_reused"


class WebhookEndpointLimit(MessagingError):
    """The tenant has as many webhook endpoints as it may."""

    status = 409
    code = "webhook_endpoint_limit"


class WebhookEndpointDisabled(MessagingError):
    """The endpoint is disabled: enable it before redelivering to it."""

    status = 409
    code = "webhook_endpoint_disabled"


class WebhookDeliveryInProgress(MessagingError):
    """The delivery is waiting for its first attempt or being sent right now."""

    status = 409
    code = "webhook_delivery_in_progress"


class ContactExists(MessagingError):
    """Another contact has that phone number."""

    status = 409
    code = "contact_exists"


class ContactListExists(MessagingError):
    """Another list has that name (names are compared without case)."""

    status = 409
    code = "list_exists"


class ImportFileTooLarge(MessagingError):
    """An upload larger than CONTACT_IMPORT_MAX_BYTES."""

    status = 413
    code = "file_too_large"


class ImportNotStartable(MessagingError):
    """The import is not waiting for its mapping: it runs, or has run, already."""

    status = 409
    code = "import_not_startable"


class ImportNotCancelable(MessagingError):
    """The import has ended already (completed, failed or canceled)."""

    status = 409
    code = "import_not_cancelable"


class CampaignNotEditable(MessagingError):
    """The campaign has been launched: only a draft can be changed or deleted."""

    status = 409
    code = "campaign_not_editable"


class CampaignTransitionRefused(MessagingError):
    """A move the campaign's state does not allow (resuming a running campaign, pausing a completed one, …)."""

    status = 409
    code = "campaign_transition_refused"


class CampaignPreflightRequired(MessagingError):
    """The campaign has no preflight report for its current content, audience and schedule."""

    status = 409
    code = "campaign_preflight_required"


class CampaignPreflightBlocked(MessagingError):
    """The campaign's preflight found problems that prevent its launch."""

    status = 422
    code = "campaign_preflight_blocked"

    def __init__(self, message: str, *, findings: list[dict]):
        super().__init__(message, field=None)
        self.extra = {"findings": findings}
