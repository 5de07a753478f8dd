"""Template filters of the messaging pages: `{{ delta|duration }}` writes a timedelta as a person reads it;
`{{ message.failure_reason|failure_label }}` names a failure reason in words."""

from datetime import timedelta

from django import template

from messaging.domain.failures import LABELS, FailureReason
from messaging.domain.timeline import describe_duration

register = template.Library()


@register.filter
def duration(value: timedelta | None) -> str:
    """ "4.2 s", "3 min 5 s", ... (see messaging.domain.timeline.describe_duration); empty for None."""
    return "" if value is None else describe_duration(value)


@register.filter
def failure_label(reason: str) -> str:
    """The label of a failure reason ("carrier_filtered" → "Carrier filtering"); a value we do not know as it is."""
    try:
        return LABELS[FailureReason(reason)]
    except ValueError:
        return reason
