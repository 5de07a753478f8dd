"""Errors of the people services; each message is written for the person who sees it."""

from tenants.errors import TenantsError


class NotAllowed(TenantsError):
    """The actor's role does not allow the change."""

    status = 403
    code = "forbidden"


class InvitationInvalid(TenantsError):
    """The invitation link is unknown, expired, already used or revoked."""

    status = 410
    code = "invitation_invalid"

    def __init__(self, message: str, *, reason: str):
        super().__init__(message, field="token")
        self.reason = reason
        if reason == "unknown":
            self.status = 404


class TooManyEmails(TenantsError):
    """The hourly limit of emails of this kind to this address, or from this tenant, is reached."""

    status = 429
    code = "too_many_emails"
