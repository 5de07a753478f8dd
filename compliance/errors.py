"""The compliance services' refusals, under one base; `config.api` and `config.forms` map them by type."""

from __future__ import annotations

from collections.abc import Sequence

from compliance.domain.rules import Finding, Severity
from config.errors import ServiceError


class ComplianceError(ServiceError):
    """A request the compliance services refuse."""


class ComplianceValidationError(ComplianceError):
    """A well-formed value that a compliance rule refuses: the field and the reason (422 on the API, where 400 means
    "not as the document describes")."""

    status = 422
    code = "unprocessable"


class UploadTooLarge(ComplianceError):
    """A file larger than the register's import reads in one request."""

    status = 413
    code = "file_too_large"


class NotOptedOut(ComplianceError):
    """Lifting an opt-out that is not in force."""

    status = 409
    code = "not_opted_out"


class ReviewDecided(ComplianceError):
    """A revocation review that a person has already decided."""

    status = 409
    code = "review_decided"


class ComplianceBlocked(ComplianceError):
    """A message that a pre-send rule blocks; every finding goes with it, each naming its rule and reason."""

    status = 422
    code = "compliance_blocked"

    def __init__(self, findings: Sequence[Finding]):
        blocks = [f for f in findings if f.severity == Severity.BLOCK]
        reason = "; ".join(f"{f.rule}: {f.message}" for f in blocks)
        super().__init__(f"blocked by the compliance rules — {reason}", field=blocks[0].field if blocks else None)
        self.findings = tuple(findings)
        self.extra = {"findings": [f.as_dict() for f in findings]}
