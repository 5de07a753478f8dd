"""The message event log is append-only: a trigger refuses UPDATE and DELETE of its rows.

Deleting a message (its events with it) is refused too; messages are never deleted, a closed tenant's whole schema
is dropped by the retention purge, which triggers do not stop.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION messaging_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'message events are append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER messaging_event_append_only BEFORE UPDATE OR DELETE ON messaging_messageevent
    FOR EACH ROW EXECUTE FUNCTION messaging_event_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS messaging_event_append_only ON messaging_messageevent;
DROP FUNCTION IF EXISTS messaging_event_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("messaging", "0006_messages_and_events")]

    operations = [migrations.RunSQL(CREATE, DROP)]
