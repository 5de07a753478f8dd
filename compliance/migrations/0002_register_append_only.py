"""The opt-out register is append-only: a trigger refuses UPDATE and DELETE of its events.

Lifting an opt-out writes an opt-in event; the opt-out stays. A closed tenant's whole schema is dropped by the
retention purge, which triggers do not stop.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION compliance_register_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the opt-out register is append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER compliance_register_append_only BEFORE UPDATE OR DELETE ON compliance_optoutevent
    FOR EACH ROW EXECUTE FUNCTION compliance_register_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS compliance_register_append_only ON compliance_optoutevent;
DROP FUNCTION IF EXISTS compliance_register_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]

    operations = [migrations.RunSQL(CREATE, DROP)]
