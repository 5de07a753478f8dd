"""The A/B comparison: the two-proportion z-test and the sample size per group, against figures worked by hand."""

from __future__ import annotations

import pytest

from messaging.domain.abtest import Proportion, compare, sample_size


def test_sample_size_for_ten_against_twelve_percent_is_the_textbook_3841():
    # (1.959964·√(2·0.11·0.89) + 0.841621·√(0.09 + 0.1056))² / 0.02² = 3,840.3 → 3,841 per group.
    assert sample_size(0.10, 0.12) == 3841
    assert sample_size(0.12, 0.10) == 3841


def test_a_larger_difference_needs_fewer_and_equal_rates_need_no_sample():
    assert sample_size(0.10, 0.20) == 199
    assert sample_size(0.3, 0.3) is None


def test_stricter_level_and_more_power_need_more():
    assert sample_size(0.10, 0.12, alpha=0.01, power=0.9) == 7281


def test_a_significant_difference():
    # Pooled 0.115: z = 0.03 / √(0.115·0.885·0.002) = 2.1027, p = 0.0355.
    result = compare(Proportion(100, 1000), Proportion(130, 1000))
    assert (round(result.z, 4), round(result.p_value, 4), result.significant) == (2.1027, 0.0355, True)
    assert (round(result.difference, 6), round(result.lift, 6)) == (0.03, 0.3)
    assert (result.needed_per_variant, result.more_needed) == (1774, 0)


def test_not_significant_yet_says_how_many_more_the_smaller_group_needs():
    # 10 % of 100 against 13.3 % of 90: z = 0.7170, p = 0.4734; 1,455 each would show it, so 1,365 more.
    result = compare(Proportion(10, 100), Proportion(12, 90))
    assert (round(result.z, 4), round(result.p_value, 4), result.significant) == (0.717, 0.4734, False)
    assert (result.needed_per_variant, result.more_needed) == (1455, 1365)


def test_no_successes_anywhere_is_no_difference():
    result = compare(Proportion(0, 50), Proportion(0, 40))
    assert (result.z, result.p_value, result.significant, result.lift) == (0.0, 1.0, False, None)
    assert (result.needed_per_variant, result.more_needed) == (None, 0)


@pytest.mark.parametrize(("successes", "trials"), [(-1, 5), (6, 5), (0, -1)])
def test_a_proportion_is_at_most_its_trials(successes, trials):
    with pytest.raises(ValueError, match="successes must be between 0 and trials"):
        Proportion(successes, trials)


def test_each_group_needs_a_trial():
    with pytest.raises(ValueError, match="both groups need at least one trial"):
        compare(Proportion(0, 0), Proportion(1, 2))
