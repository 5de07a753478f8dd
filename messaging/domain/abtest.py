"""A/B comparison of two proportions (pure): is a variant's rate different from the control's, and if that cannot be
told yet, how many recipients each needs before it can.

The test is the two-sided two-proportion z-test with the pooled rate; the sample size is the usual one for two equal
groups, at the significance level and power given, for the difference seen so far (so it answers "how many more
until this difference, if it is real, shows"). Normal quantiles come from `statistics.NormalDist`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Final

ALPHA: Final = 0.05  # two-sided significance level
POWER: Final = 0.8
_NORMAL = NormalDist()


@dataclass(frozen=True)
class Proportion:
    """`successes` of `trials` (for example recipients who clicked, of delivered messages)."""

    successes: int
    trials: int

    def __post_init__(self) -> None:
        if self.trials < 0 or not 0 <= self.successes <= self.trials:
            raise ValueError(f"successes must be between 0 and trials ({self.successes} of {self.trials})")

    @property
    def rate(self) -> float | None:
        return self.successes / self.trials if self.trials else None


@dataclass(frozen=True)
class Comparison:
    control: Proportion
    variant: Proportion
    difference: float  # variant rate − control rate
    lift: float | None  # difference ÷ control rate; None when the control's rate is 0
    z: float
    p_value: float
    significant: bool
    needed_per_variant: int | None  # recipients each group needs to show this difference; None: no difference seen
    more_needed: int  # how many more the smaller group needs (0 once significant)


def sample_size(p1: float, p2: float, *, alpha: float = ALPHA, power: float = POWER) -> int | None:
    """Recipients per group for a two-sided test at `alpha` to detect rates `p1` vs `p2` with `power`; None when the
    rates are equal (no sample size tells them apart)."""
    if p1 == p2:
        return None
    z_alpha = _NORMAL.inv_cdf(1 - alpha / 2)
    z_beta = _NORMAL.inv_cdf(power)
    pooled = (p1 + p2) / 2
    spread = z_alpha * math.sqrt(2 * pooled * (1 - pooled)) + z_beta * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(spread**2 / (p1 - p2) ** 2)


def compare(control: Proportion, variant: Proportion, *, alpha: float = ALPHA, power: float = POWER) -> Comparison:
    """The two-proportion z-test of `variant` against `control`; both need at least one trial."""
    if not control.trials or not variant.trials:
        raise ValueError("both groups need at least one trial")
    p1, p2 = control.successes / control.trials, variant.successes / variant.trials
    pooled = (control.successes + variant.successes) / (control.trials + variant.trials)
    error = math.sqrt(pooled * (1 - pooled) * (1 / control.trials + 1 / variant.trials))
    z = (p2 - p1) / error if error else 0.0
    p_value = 2 * (1 - _NORMAL.cdf(abs(z)))
    significant = p_value < alpha
    needed = sample_size(p1, p2, alpha=alpha, power=power)
    smaller = min(control.trials, variant.trials)
    more = 0 if significant or needed is None else max(needed - smaller, 0)
    return Comparison(
        control=control,
        variant=variant,
        difference=p2 - p1,
        lift=(p2 - p1) / p1 if p1 else None,
        z=z,
        p_value=p_value,
        significant=significant,
        needed_per_variant=needed,
        more_needed=more,
    )
