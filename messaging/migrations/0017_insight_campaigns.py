"""Insight rollups by campaign and A/B variant, with the messages that carry tracked links, and clicks per hour.

The trigger of migration 0014 is replaced. Its per-message work, which the trigger does for the old row (-1) and the
new one (+1), is also `messaging_insight_append(message, sign)` for the rebuild below (its argument is `anyelement`,
not the table's row type, so that schemas cloned from this one call their own); it now also keys a message by its
campaign and its variant's label, and counts it as `linked` when tracked links were made for it (its campaign's, or
its own). The rollups are then rebuilt from the messages themselves: the deltas of every message are appended again and the
hourly and daily rows emptied, so the next squash folds them (and copies them to the public rollups) whole.
"""

from importlib import import_module

from django.db import migrations, models

EARLIER = import_module("messaging.migrations.0014_insights")

# The lower bounds of the latency buckets (seconds), as `messaging.domain.insights.LATENCY_BOUNDS` has them.
LATENCY_BOUNDS = (0, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600, 14400)

BOUNDS = "ARRAY[" + ",".join(str(b) for b in LATENCY_BOUNDS) + "]::double precision[]"
BUCKETS = len(LATENCY_BOUNDS)
WATCHED = ("status", "error_code", "price", "segments", "created_at", "queued_at", "sent_at", "delivered_at",
           "sender_id", '"to"', "from_address", "category", "direction", "campaign_id", "campaign_variant_id")
CHANGED = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in WATCHED)

# What the trigger's function and `messaging_insight_append` both do for one message `m` counted with `sign`.
DECLARATIONS = """
    party text;
    kind text;
    address text;
    place text;
    label text;
    carries boolean;
    secs double precision;
    sent_n integer;
    sent_total bigint;
    sent_h bigint[];
    delivered_n integer;
    delivered_total bigint;
    delivered_h bigint[];
"""
APPEND = f"""
    kind := ''; address := ''; place := ''; label := ''; carries := false;
    sent_n := 0; sent_total := 0; sent_h := array_fill(0::bigint, ARRAY[{BUCKETS}]);
    delivered_n := 0; delivered_total := 0; delivered_h := array_fill(0::bigint, ARRAY[{BUCKETS}]);
    IF m.sender_id IS NOT NULL THEN
        SELECT s.kind, s.address INTO kind, address FROM messaging_sender s WHERE s.id = m.sender_id;
    END IF;
    party := CASE WHEN m.direction = 'inbound' THEN m.from_address ELSE m."to" END;
    IF party LIKE '+%' THEN
        SELECT c.country INTO place FROM insights_callingcode c
         WHERE c.prefix IN (substr(party, 2, 1), substr(party, 2, 2), substr(party, 2, 3), substr(party, 2, 4))
         ORDER BY length(c.prefix) DESC LIMIT 1;
    END IF;
    IF m.campaign_variant_id IS NOT NULL THEN
        SELECT v.label INTO label FROM messaging_campaignvariant v WHERE v.id = m.campaign_variant_id;
    END IF;
    IF m.direction = 'outbound' THEN
        IF m.campaign_id IS NOT NULL THEN
            carries := EXISTS (SELECT 1 FROM messaging_trackedlink l
                                WHERE l.owner_kind = 'campaign' AND l.owner_id = m.campaign_id);
        ELSE
            carries := EXISTS (SELECT 1 FROM messaging_trackedlink l WHERE l.owner_kind = 'message' AND l.owner_id = m.id);
        END IF;
    END IF;
    IF m.direction = 'outbound' AND m.sent_at IS NOT NULL THEN
        secs := greatest(extract(epoch FROM m.sent_at - coalesce(m.queued_at, m.created_at)), 0);
        sent_n := sign; sent_total := sign * round(secs * 1000)::bigint;
        sent_h[width_bucket(secs, {BOUNDS})] := sign;
        IF m.delivered_at IS NOT NULL THEN
            secs := greatest(extract(epoch FROM m.delivered_at - m.sent_at), 0);
            delivered_n := sign; delivered_total := sign * round(secs * 1000)::bigint;
            delivered_h[width_bucket(secs, {BOUNDS})] := sign;
        END IF;
    END IF;
    INSERT INTO messaging_insightdelta (
        hour, direction, sender_id, sender_address, sender_kind, country, category, campaign_id, variant, status,
        error_code, messages, segments, cost, linked, sent_count, sent_ms, sent_histogram, delivered_count,
        delivered_ms, delivered_histogram
    ) VALUES (
        date_trunc('hour', m.created_at, 'UTC'), m.direction, coalesce(m.sender_id, 0), coalesce(address, ''),
        coalesce(kind, ''), coalesce(place, ''), m.category, coalesce(m.campaign_id, 0), coalesce(label, ''),
        m.status, coalesce(m.error_code, 0), sign, sign * m.segments, sign * coalesce(-m.price, 0),
        CASE WHEN carries THEN sign ELSE 0 END, sent_n, sent_total, sent_h, delivered_n, delivered_total, delivered_h
    );
"""
# The trigger does the work inline for the old row (-1) and the new one (+1): calling the function for each row slowed
# `bench/campaign_fanout.py` by 8 %.
TRACK = f"""
DROP TRIGGER IF EXISTS messaging_insight_update ON messaging_message;
DROP TRIGGER IF EXISTS messaging_insight_insert ON messaging_message;
DROP FUNCTION IF EXISTS messaging_insight_track();
CREATE FUNCTION messaging_insight_append(m anyelement, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE {DECLARATIONS}
BEGIN {APPEND}
END;
$$;
CREATE FUNCTION messaging_insight_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    m record;
    sign integer; {DECLARATIONS}
BEGIN
    FOR pass IN 1..2 LOOP
        IF pass = 1 THEN
            CONTINUE WHEN TG_OP = 'INSERT';
            m := OLD; sign := -1;
        ELSE
            CONTINUE WHEN TG_OP = 'DELETE';
            m := NEW; sign := 1;
        END IF; {APPEND}
    END LOOP;
    RETURN NULL;
END;
$$;
CREATE TRIGGER messaging_insight_insert AFTER INSERT OR DELETE ON messaging_message
    FOR EACH ROW EXECUTE FUNCTION messaging_insight_track();
CREATE TRIGGER messaging_insight_update AFTER UPDATE ON messaging_message
    FOR EACH ROW WHEN ({CHANGED}) EXECUTE FUNCTION messaging_insight_track();
"""
UNTRACK = (
    """
DROP TRIGGER IF EXISTS messaging_insight_update ON messaging_message;
DROP TRIGGER IF EXISTS messaging_insight_insert ON messaging_message;
DROP FUNCTION IF EXISTS messaging_insight_track();
DROP FUNCTION IF EXISTS messaging_insight_append(anyelement, integer);
"""
    + EARLIER.TRACK
)
REBUILD = """
DELETE FROM messaging_insightdelta;
DELETE FROM messaging_insightrollup;
DELETE FROM messaging_insightday;
SELECT messaging_insight_append(m, 1) FROM messaging_message m;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('messaging', '0016_campaign_track_links'),
    ]

    operations = [
        migrations.CreateModel(
            name='InsightClickHour',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('hour', models.DateTimeField()),
                ('campaign_id', models.BigIntegerField(default=0)),
                ('variant', models.CharField(blank=True, max_length=1)),
                ('clicks', models.BigIntegerField(default=0)),
                ('clickers', models.BigIntegerField(default=0)),
            ],
            options={
                'ordering': ['hour'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='insightday',
            name='insight_day_key',
        ),
        migrations.RemoveConstraint(
            model_name='insightrollup',
            name='insight_rollup_key',
        ),
        migrations.AddField(
            model_name='insightday',
            name='campaign_id',
            field=models.BigIntegerField(default=0, help_text="0: not a campaign's"),
        ),
        migrations.AddField(
            model_name='insightday',
            name='linked',
            field=models.BigIntegerField(default=0, help_text='Messages whose body carries tracked links'),
        ),
        migrations.AddField(
            model_name='insightday',
            name='variant',
            field=models.CharField(blank=True, help_text="The campaign variant's label; blank for none", max_length=1),
        ),
        migrations.AddField(
            model_name='insightdelta',
            name='campaign_id',
            field=models.BigIntegerField(default=0, help_text="0: not a campaign's"),
        ),
        migrations.AddField(
            model_name='insightdelta',
            name='linked',
            field=models.BigIntegerField(default=0, help_text='Messages whose body carries tracked links'),
        ),
        migrations.AddField(
            model_name='insightdelta',
            name='variant',
            field=models.CharField(blank=True, help_text="The campaign variant's label; blank for none", max_length=1),
        ),
        migrations.AddField(
            model_name='insightrollup',
            name='campaign_id',
            field=models.BigIntegerField(default=0, help_text="0: not a campaign's"),
        ),
        migrations.AddField(
            model_name='insightrollup',
            name='linked',
            field=models.BigIntegerField(default=0, help_text='Messages whose body carries tracked links'),
        ),
        migrations.AddField(
            model_name='insightrollup',
            name='variant',
            field=models.CharField(blank=True, help_text="The campaign variant's label; blank for none", max_length=1),
        ),
        migrations.AddConstraint(
            model_name='insightday',
            constraint=models.UniqueConstraint(fields=('day', 'direction', 'sender_id', 'sender_address', 'sender_kind', 'country', 'category', 'campaign_id', 'variant', 'status', 'error_code'), name='insight_day_key'),
        ),
        migrations.AddConstraint(
            model_name='insightrollup',
            constraint=models.UniqueConstraint(fields=('hour', 'direction', 'sender_id', 'sender_address', 'sender_kind', 'country', 'category', 'campaign_id', 'variant', 'status', 'error_code'), name='insight_rollup_key'),
        ),
        migrations.AddConstraint(
            model_name='insightclickhour',
            constraint=models.UniqueConstraint(fields=('hour', 'campaign_id', 'variant'), name='insight_click_hour_key'),
        ),
        migrations.RunSQL(TRACK, UNTRACK),
        migrations.RunSQL(REBUILD, migrations.RunSQL.noop),
    ]
