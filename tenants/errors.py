"""Errors raised by the tenants services; `config.api` maps them to HTTP problems by type."""

from config.errors import ServiceError


class TenantsError(ServiceError):
    """Base class: a request the tenants services refuse."""


class ValidationFailed(TenantsError):
    code = "validation_failed"


class Unprocessable(ValidationFailed):
    """A well-formed value that a rule refuses, such as a date that must be in the future (422 on the API)."""

    status = 422
    code = "unprocessable"


class Conflict(TenantsError):
    status = 409
    code = "conflict"


class ProvisioningFailed(TenantsError):
    """The provider refused or did not answer a subaccount change; nothing was changed on our side."""

    status = 502
    code = "provisioning_failed"

    def __init__(self, message: str, *, twilio_code: int | None = None):
        super().__init__(message)
        self.twilio_code = twilio_code
