"""The tenant's insight totals: the rollups added up without the sender, country, category, campaign and variant
dimensions, per hour and per day (of the tenant's time zone). A time series or summary without such a filter reads
these (one row per hour, direction, status and error code instead of one per sender, country, category, campaign and
variant too).

The squash keeps them: the hours it changes are added up again from the hourly rollup, the days from these hours.
They are derived from the rollups by naming their columns, so a dimension added to the rollups leaves them unchanged.
"""

from django.db import models

from messaging.models.insights import InsightCounters

# The totals' key besides the hour or day.
TOTAL_DIMENSIONS = ("direction", "status", "error_code")


class InsightTotalSums(InsightCounters):
    """The dimensions and sums an hour's or a day's totals keep (those of `InsightSums`, without the sender, country,
    category, campaign and variant)."""

    direction = models.CharField(max_length=8)
    status = models.CharField(max_length=12)
    error_code = models.IntegerField(default=0, help_text="0: none")

    class Meta:
        abstract = True


class InsightHourTotal(InsightTotalSums):
    """The hourly rollup of one hour added up per direction, status and error code."""

    hour = models.DateTimeField(help_text="The hour the messages were created in (UTC)")

    class Meta:
        ordering = ["hour"]
        constraints = [models.UniqueConstraint(fields=["hour", *TOTAL_DIMENSIONS], name="insight_hour_total_key")]

    def __str__(self) -> str:
        return f"{self.hour:%Y-%m-%d %H}h {self.status} {self.messages}"


class InsightDayTotal(InsightTotalSums):
    """The hour totals of one day of the tenant's time zone added up."""

    day = models.DateField(help_text="The day, in the tenant's time zone, of the hour the messages were created in")

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["day", *TOTAL_DIMENSIONS], name="insight_day_total_key")]

    def __str__(self) -> str:
        return f"{self.day} {self.status} {self.messages}"
