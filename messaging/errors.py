"""Errors raised by the messaging services; `config.api` maps them to HTTP problems."""


class MessagingError(Exception):
    """A request the messaging services refuse, with the field and the reason where one applies."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class MessagingValidationError(MessagingError):
    code = "validation_failed"
