"""Errors raised by the tenants services; `config.api` maps them to HTTP problems."""

from config.errors import ServiceError


class TenantsError(ServiceError):
    """Base class: a request the tenants services refuse."""


class ValidationFailed(TenantsError):
    code = "validation_failed"


class Conflict(TenantsError):
    status = 409
    code = "conflict"
