"""Errors raised by the messaging services; `config.api` maps them to HTTP problems."""

from config.errors import ServiceError


class MessagingError(ServiceError):
    """A request the messaging services refuse."""


class MessagingValidationError(MessagingError):
    code = "validation_failed"
