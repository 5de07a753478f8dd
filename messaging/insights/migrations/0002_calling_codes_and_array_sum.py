"""The calling codes the rollup trigger reads a number's country from, and an aggregate that adds latency histograms
element by element (`insights_array_sum(bigint[])`), in the public schema where every tenant's search path finds it.

Codes come from phonenumbers' metadata: each calling code with its main region, and the NANP area codes of regions
other than the US on their own (1416 → CA); a +1 number of no listed area code counts as US.
"""

from django.db import migrations

ARRAY_SUM = """
CREATE FUNCTION insights_array_add(total bigint[], item bigint[]) RETURNS bigint[] LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(array_agg(coalesce(a, 0) + coalesce(b, 0) ORDER BY i), '{}')
      FROM unnest(total, item) WITH ORDINALITY AS t(a, b, i)
$$;
CREATE AGGREGATE insights_array_sum(bigint[]) (SFUNC = insights_array_add, STYPE = bigint[], INITCOND = '{}');
"""
DROP_ARRAY_SUM = """
DROP AGGREGATE IF EXISTS insights_array_sum(bigint[]);
DROP FUNCTION IF EXISTS insights_array_add(bigint[], bigint[]);
"""


def calling_codes() -> dict[str, str]:
    import phonenumbers
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

    codes = {str(code): regions[0] for code, regions in COUNTRY_CODE_TO_REGION_CODE.items() if regions[0] != "001"}
    for area in range(200, 1000):
        region = phonenumbers.region_code_for_number(phonenumbers.parse(f"+1{area}2345678"))
        if region and region != "US":
            codes[f"1{area}"] = region
    return codes


def seed(apps, schema_editor):
    CallingCode = apps.get_model("insights", "CallingCode")
    CallingCode.objects.bulk_create(
        [CallingCode(prefix=prefix, country=country) for prefix, country in sorted(calling_codes().items())],
        ignore_conflicts=True,
    )


def unseed(apps, schema_editor):
    apps.get_model("insights", "CallingCode").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_insights")]

    operations = [migrations.RunSQL(ARRAY_SUM, DROP_ARRAY_SUM), migrations.RunPython(seed, unseed)]
