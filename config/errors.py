"""The one base class of the services' refusals; `config.api` turns any of them into an RFC 9457 problem."""


class ServiceError(Exception):
    """A request a service refuses: the reason in plain words, the field at fault where one applies, the HTTP
    status and a stable code for the API."""

    status = 400
    code = "invalid"
    extra: dict = {}  # more members for the problem body, e.g. a compliance refusal's findings

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
