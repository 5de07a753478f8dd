"""Template filters of the insights pages: a rate as a percentage, a latency in seconds, a rule's title."""

from django import template

from messaging.domain.insights import RULE_TITLES, Rule

register = template.Library()


@register.filter
def percent(value) -> str:
    """0.0234 → "2.34 %"; "—" when there is nothing to divide by."""
    return "—" if value is None else f"{value * 100:.2f} %"


@register.filter
def seconds(value) -> str:
    """A latency: "3.5 s", "12 min", "2.1 h"; "—" when none was measured."""
    if value is None:
        return "—"
    if value < 60:
        return f"{value:.1f} s"
    if value < 3600:
        return f"{value / 60:.0f} min"
    return f"{value / 3600:.1f} h"


@register.filter
def rule_title(rule: str) -> str:
    return RULE_TITLES.get(Rule(rule), rule) if rule in Rule.__members__.values() else rule
