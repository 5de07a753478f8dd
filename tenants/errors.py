"""Errors raised by the tenants services; `config.api` maps them to HTTP problems."""


class TenantsError(Exception):
    """Base class: a request the tenants services refuse, with a field and a reason where one applies."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(TenantsError):
    code = "validation_failed"


class Conflict(TenantsError):
    status = 409
    code = "conflict"
