"""The one error the pure domain modules raise for an input they refuse; it knows nothing of HTTP."""

from __future__ import annotations


class DomainInputError(ValueError):
    """An input a domain calculation refuses: `field` names it, `message` says why in plain words."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
