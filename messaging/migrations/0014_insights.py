"""Insight rollups: an append-only delta table written by a trigger on every change of a message, in the same
transaction, and the hourly rollup the squash folds the deltas into.

The trigger appends the message's old contribution with -1 and its new one with +1 (messages, segments, cost,
latency buckets), keyed by the hour it was created in (UTC) and its dimensions: direction, sender, the sender's
kind, the other party's country (the longest prefix of the number in the public `insights_callingcode`), category,
status and error code. It takes no lock but its own insert's. An UPDATE that changes none of the columns the rollup
reads (a claim token, an attempt count) writes nothing. Latency buckets have the lower bounds of
`messaging.domain.insights.LATENCY_BOUNDS`; queued → sent counts from `queued_at` (the creation, or the send time of a
scheduled message), sent → delivered from `sent_at`.
"""

import django.contrib.postgres.fields
from django.db import migrations, models

# The lower bounds of the latency buckets (seconds), as `messaging.domain.insights.LATENCY_BOUNDS` has them.
LATENCY_BOUNDS = (0, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600, 14400)

BOUNDS = "ARRAY[" + ",".join(str(b) for b in LATENCY_BOUNDS) + "]::double precision[]"
BUCKETS = len(LATENCY_BOUNDS)
WATCHED = ("status", "error_code", "price", "segments", "created_at", "queued_at", "sent_at", "delivered_at",
           "sender_id", '"to"', "from_address", "category", "direction")
CHANGED = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in WATCHED)

TRACK = f"""
CREATE FUNCTION messaging_insight_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    m record;
    sign integer;
    party text;
    kind text;
    address text;
    place text;
    secs double precision;
    sent_n integer;
    sent_total bigint;
    sent_h bigint[];
    delivered_n integer;
    delivered_total bigint;
    delivered_h bigint[];
BEGIN
    FOR pass IN 1..2 LOOP
        IF pass = 1 THEN
            CONTINUE WHEN TG_OP = 'INSERT';
            m := OLD; sign := -1;
        ELSE
            CONTINUE WHEN TG_OP = 'DELETE';
            m := NEW; sign := 1;
        END IF;
        kind := ''; address := '';
        IF m.sender_id IS NOT NULL THEN
            SELECT s.kind, s.address INTO kind, address FROM messaging_sender s WHERE s.id = m.sender_id;
        END IF;
        party := CASE WHEN m.direction = 'inbound' THEN m.from_address ELSE m."to" END;
        place := '';
        IF party LIKE '+%' THEN
            SELECT c.country INTO place FROM insights_callingcode c
             WHERE c.prefix IN (substr(party, 2, 1), substr(party, 2, 2), substr(party, 2, 3), substr(party, 2, 4))
             ORDER BY length(c.prefix) DESC LIMIT 1;
        END IF;
        sent_n := 0; sent_total := 0; sent_h := array_fill(0::bigint, ARRAY[{BUCKETS}]);
        delivered_n := 0; delivered_total := 0; delivered_h := array_fill(0::bigint, ARRAY[{BUCKETS}]);
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
            hour, direction, sender_id, sender_address, sender_kind, country, category, status, error_code,
            messages, segments, cost, sent_count, sent_ms, sent_histogram, delivered_count, delivered_ms,
            delivered_histogram
        ) VALUES (
            date_trunc('hour', m.created_at, 'UTC'), m.direction, coalesce(m.sender_id, 0), coalesce(address, ''), coalesce(kind, ''),
            coalesce(place, ''), m.category, m.status, coalesce(m.error_code, 0),
            sign, sign * m.segments, sign * coalesce(-m.price, 0), sent_n, sent_total, sent_h,
            delivered_n, delivered_total, delivered_h
        );
    END LOOP;
    RETURN NULL;
END;
$$;
CREATE TRIGGER messaging_insight_insert AFTER INSERT OR DELETE ON messaging_message
    FOR EACH ROW EXECUTE FUNCTION messaging_insight_track();
CREATE TRIGGER messaging_insight_update AFTER UPDATE ON messaging_message
    FOR EACH ROW WHEN ({CHANGED}) EXECUTE FUNCTION messaging_insight_track();
"""
UNTRACK = """
DROP TRIGGER IF EXISTS messaging_insight_update ON messaging_message;
DROP TRIGGER IF EXISTS messaging_insight_insert ON messaging_message;
DROP FUNCTION IF EXISTS messaging_insight_track();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('messaging', '0013_tracked_links'),
    ]

    operations = [
        migrations.CreateModel(
            name='InsightCursor',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=40, unique=True)),
                ('last_id', models.BigIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='InsightDelta',
            fields=[
                ('hour', models.DateTimeField(help_text='The hour the message was created in (UTC)')),
                ('direction', models.CharField(max_length=8)),
                ('sender_id', models.BigIntegerField(default=0, help_text='0: none')),
                ('sender_address', models.CharField(blank=True, max_length=34)),
                ('sender_kind', models.CharField(blank=True, max_length=20)),
                ('country', models.CharField(blank=True, help_text="The other party's, from the number", max_length=2)),
                ('category', models.CharField(blank=True, max_length=20)),
                ('status', models.CharField(max_length=12)),
                ('error_code', models.IntegerField(default=0, help_text='0: none')),
                ('messages', models.BigIntegerField(default=0)),
                ('segments', models.BigIntegerField(default=0)),
                ('cost', models.DecimalField(decimal_places=5, default=0, help_text="Twilio's price, positive", max_digits=16)),
                ('sent_count', models.BigIntegerField(default=0)),
                ('sent_ms', models.BigIntegerField(default=0, help_text='Queued → sent, summed')),
                ('sent_histogram', django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), default=list, size=None)),
                ('delivered_count', models.BigIntegerField(default=0)),
                ('delivered_ms', models.BigIntegerField(default=0, help_text='Sent → delivered, summed')),
                ('delivered_histogram', django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), default=list, size=None)),
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
            ],
            options={
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='InsightOptOutHour',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('hour', models.DateTimeField(unique=True)),
                ('opt_outs', models.BigIntegerField(default=0)),
            ],
            options={
                'ordering': ['hour'],
            },
        ),
        migrations.CreateModel(
            name='InsightRollup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('hour', models.DateTimeField(help_text='The hour the message was created in (UTC)')),
                ('direction', models.CharField(max_length=8)),
                ('sender_id', models.BigIntegerField(default=0, help_text='0: none')),
                ('sender_address', models.CharField(blank=True, max_length=34)),
                ('sender_kind', models.CharField(blank=True, max_length=20)),
                ('country', models.CharField(blank=True, help_text="The other party's, from the number", max_length=2)),
                ('category', models.CharField(blank=True, max_length=20)),
                ('status', models.CharField(max_length=12)),
                ('error_code', models.IntegerField(default=0, help_text='0: none')),
                ('messages', models.BigIntegerField(default=0)),
                ('segments', models.BigIntegerField(default=0)),
                ('cost', models.DecimalField(decimal_places=5, default=0, help_text="Twilio's price, positive", max_digits=16)),
                ('sent_count', models.BigIntegerField(default=0)),
                ('sent_ms', models.BigIntegerField(default=0, help_text='Queued → sent, summed')),
                ('sent_histogram', django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), default=list, size=None)),
                ('delivered_count', models.BigIntegerField(default=0)),
                ('delivered_ms', models.BigIntegerField(default=0, help_text='Sent → delivered, summed')),
                ('delivered_histogram', django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), default=list, size=None)),
            ],
            options={
                'ordering': ['hour'],
                'indexes': [models.Index(fields=['hour'], name='insight_rollup_hour')],
                'constraints': [models.UniqueConstraint(fields=('hour', 'direction', 'sender_id', 'sender_address', 'sender_kind', 'country', 'category', 'status', 'error_code'), name='insight_rollup_key')],
            },
        ),
        migrations.CreateModel(
            name='InsightDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('direction', models.CharField(max_length=8)),
                ('sender_id', models.BigIntegerField(default=0, help_text='0: none')),
                ('sender_address', models.CharField(blank=True, max_length=34)),
                ('sender_kind', models.CharField(blank=True, max_length=20)),
                ('country', models.CharField(blank=True, help_text="The other party's, from the number", max_length=2)),
                ('category', models.CharField(blank=True, max_length=20)),
                ('status', models.CharField(max_length=12)),
                ('error_code', models.IntegerField(default=0, help_text='0: none')),
                ('messages', models.BigIntegerField(default=0)),
                ('segments', models.BigIntegerField(default=0)),
                ('cost', models.DecimalField(decimal_places=5, default=0, help_text="Twilio's price, positive", max_digits=16)),
                ('sent_count', models.BigIntegerField(default=0)),
                ('sent_ms', models.BigIntegerField(default=0, help_text='Queued → sent, summed')),
                ('sent_histogram', django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), default=list, size=None)),
                ('delivered_count', models.BigIntegerField(default=0)),
                ('delivered_ms', models.BigIntegerField(default=0, help_text='Sent → delivered, summed')),
                ('delivered_histogram', django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), default=list, size=None)),
                ('day', models.DateField(help_text="The day, in the tenant's time zone, of the hour the message was created in")),
            ],
            options={
                'ordering': ['day'],
                'indexes': [models.Index(fields=['day'], name='insight_day_day')],
                'constraints': [models.UniqueConstraint(fields=('day', 'direction', 'sender_id', 'sender_address', 'sender_kind', 'country', 'category', 'status', 'error_code'), name='insight_day_key')],
            },
        ),
        migrations.RunSQL(TRACK, UNTRACK),
    ]
