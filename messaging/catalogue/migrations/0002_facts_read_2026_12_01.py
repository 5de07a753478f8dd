# Adds the catalogue facts read from Twilio's pages on 2026-12-01 and brings the seeded rows up to date.

import datetime
from decimal import Decimal

from django.db import migrations, models

# (model, key, field, the built-in value before, the built-in value now). A row is updated only where it still holds
# the value before, so what ISV staff edited stays as they left it; new rows (FR, AU and the Low Volume Mixed tier)
# are added by the catalogue seeding that runs after every migrate. Frozen here so that this migration keeps its
# meaning whatever the built-in facts become later.
FACTS = [('SenderType', 'short_code', 'lead_time_min_days', 42, 56),
 ('SenderType', 'short_code', 'lead_time_max_days', 70, 84),
 ('SenderType', 'short_code', 'lead_time_text', '6–10 weeks', '8–12 weeks'),
 ('SenderType',
  'short_code',
  'sources',
  ['seeds/isv-messaging-architecture.txt (sender matrix)',
   'reference/twilio.md §6',
   'reference/twilio.md §4',
   'seeds/architecting-for-deliverability.txt (throughput)'],
  ['https://support.twilio.com/hc/en-us/articles/223182268 (US short codes take the standard provisioning time of '
   "8 to 12 weeks from payment) and https://support.twilio.com/hc/en-us/articles/223134647 (Twilio's review 1–2 "
   'weeks, then the carriers 6–10 weeks on average, sometimes longer); read 2026-12-01',
   'seeds/isv-messaging-architecture.txt (sender matrix)',
   'reference/twilio.md §6',
   'reference/twilio.md §4',
   'seeds/architecting-for-deliverability.txt (throughput)']),
 ('SenderType',
  'a2p_10dlc',
  'mps_text',
  '12–225 MPS in total by Trust Score, split across AT&T, T-Mobile and Verizon; set per brand and campaign, not '
  'per number',
  '12–225 MPS in total by Trust Score for Standard brands, split across AT&T, T-Mobile and Verizon; 3.75 for a Low '
  'Volume Mixed campaign; 1 for a Sole Proprietor; set per brand and campaign, not per number'),
 ('SenderType',
  'a2p_10dlc',
  'volume_limit_text',
  'T-Mobile caps segments per brand a day: 1,000 for a Sole Proprietor, up to 200,000 for top Trust Scores; '
  'Low-Volume Standard brands send fewer than 6,000 a day',
  'T-Mobile caps the segments a brand sends to its subscribers a day: 200,000 for Trust Scores 75–100, 2,000 by '
  'default, 1,000 for a Sole Proprietor; Low-Volume Standard brands send fewer than 6,000 a day'),
 ('SenderType',
  'a2p_10dlc',
  'registration_steps',
  ['Register the brand through the API.',
   'Register a campaign with its use case.',
   'Attach the numbers to the approved campaign: messages from an unregistered number fail with 30034.'],
  ['Register the brand through the API: Standard, Low-Volume Standard (fewer than 6,000 segments a day) or Sole '
   'Proprietor (no tax ID); Starter brands are no longer registered.',
   'Register a campaign with its use case: campaigns are vetted by hand, so allow 10–15 business days, and more '
   'when the vetting queue is long.',
   'Attach the numbers to the approved campaign: messages from an unregistered number fail with 30034.']),
 ('SenderType', 'a2p_10dlc', 'lead_time_min_days', 0, 10),
 ('SenderType', 'a2p_10dlc', 'lead_time_max_days', 0, 15),
 ('SenderType', 'a2p_10dlc', 'lead_time_business_days', False, True),
 ('SenderType', 'a2p_10dlc', 'lead_time_text', 'minutes', '10–15 business days'),
 ('SenderType',
  'a2p_10dlc',
  'recurring_fee_text',
  'Registration and campaign fees (different for Starter and Standard brands)',
  'Campaign fee of $1.50–$10 a month by use case; $2 a month for a Sole Proprietor campaign'),
 ('SenderType', 'a2p_10dlc', 'carrier_fee_text', 'Yes', 'Carrier fees on every segment, passed on by Twilio'),
 ('SenderType',
  'a2p_10dlc',
  'one_time_fee_text',
  '',
  'Brand registration $4, secondary vetting $40 (Standard brands), campaign vetting $15 for each campaign and each '
  'resubmission: $59 for a Standard brand with one campaign'),
 ('SenderType', 'a2p_10dlc', 'one_time_fee_usd', None, Decimal('59.00')),
 ('SenderType', 'a2p_10dlc', 'fees_read_on', None, datetime.date(2026, 12, 1)),
 ('SenderType', 'a2p_10dlc', 'fees_source', '', 'https://support.twilio.com/hc/en-us/articles/11587910480155'),
 ('SenderType',
  'a2p_10dlc',
  'sources',
  ['reference/twilio.md §6', 'seeds/isv-messaging-architecture.txt (sender matrix)'],
  ['https://support.twilio.com/hc/en-us/articles/11587910480155 (A2P 10DLC Campaign Vetting FAQ: campaigns are '
   "vetted by hand by a third party; Twilio's notice warns of delays of several weeks; read 2026-12-01). Twilio "
   'gives no fixed figure: 10–15 business days is the planning figure kept here',
   'https://support.twilio.com/hc/en-us/articles/11587910480155 (fees: brand $4, secondary vetting $40, campaign '
   'vetting $15, campaign $1.50–$10 a month, Sole Proprietor campaign $2 a month; read 2026-12-01)',
   'https://support.twilio.com/hc/en-us/articles/1260804800549 (notice: new Starter brands are no longer '
   'registered; Low-Volume Standard brands for fewer than 6,000 messages a day; Sole Proprietor brands replace '
   'Starter; read 2026-12-01)',
   'https://support.twilio.com/hc/en-us/articles/1260804800549 (T-Mobile daily message limits: a cap per brand by '
   'Trust Score, 200,000 for the top scores and Russell 3000 companies, 2,000 a day by default; read 2026-12-01)',
   'reference/twilio.md §6',
   'seeds/isv-messaging-architecture.txt (sender matrix)']),
 ('SenderType',
  'toll_free',
  'registration_steps',
  ['Buy a toll-free number (instant).',
   'Submit toll-free verification (application form).',
   'Send once verified: messages from an unverified toll-free number fail with 30032.'],
  ['Buy a toll-free number (instant).',
   'Submit toll-free verification (application form).',
   'Send once verified: since 31 January 2024 an unverified toll-free number cannot send (30032).']),
 ('SenderType', 'toll_free', 'lead_time_min_days', 5, 10),
 ('SenderType', 'toll_free', 'lead_time_max_days', 7, 15),
 ('SenderType', 'toll_free', 'lead_time_text', '5–7 business days', '10–15 business days'),
 ('SenderType',
  'toll_free',
  'sources',
  ['reference/twilio.md §6', 'seeds/isv-messaging-architecture.txt (sender matrix)'],
  ['https://www.twilio.com/docs/messaging/compliance/toll-free/api-onboarding (since 31 January 2024 a toll-free '
   "number cannot send until verification is approved; read 2026-12-01). Twilio's current review time could not be "
   'confirmed on its own pages: the 5–7 business days of the 2021 guide is not confirmed, so the longer 2–3 weeks '
   "that pages quoting Twilio's help text give is kept as the conservative figure",
   'reference/twilio.md §6',
   'seeds/isv-messaging-architecture.txt (sender matrix)']),
 ('SenderType',
  'alphanumeric_unregistered',
  'registration_steps',
  ['Set the alphanumeric sender ID on the Messaging Service or as From; no registration.'],
  ['Set the alphanumeric sender ID on the Messaging Service or as From; no registration.',
   'Tell recipients in each message how to opt out without replying (a link, or a number that takes STOP): they '
   'cannot reply to the ID.']),
 ('SenderType',
  'alphanumeric_unregistered',
  'sources',
  ['seeds/isv-messaging-architecture.txt (sender matrix)', 'reference/twilio.md §6'],
  ['https://support.twilio.com/hc/en-us/articles/223181348 (alphanumeric sender IDs: one-way, with opt-in and '
   'opt-out requirements; read 2026-12-01)',
   'seeds/isv-messaging-architecture.txt (sender matrix)',
   'reference/twilio.md §6']),
 ('SenderType',
  'alphanumeric_registered',
  'registration_steps',
  ["Submit the country's alphanumeric sender ID pre-registration application.",
   'Wait for approval before sending; the time is country specific.'],
  ["Submit the country's alphanumeric sender ID pre-registration application.",
   'Wait for approval before sending; the time is country specific.',
   'Tell recipients in each message how to opt out without replying (a link, or a number that takes STOP): they '
   'cannot reply to the ID.']),
 ('SenderType',
  'messaging_service',
  'throughput_note',
  'Add senders to the pool; Twilio picks one per message.',
  'Add senders to the pool; Twilio picks one per message, the short code first when the pool has one.'),
 ('SenderType',
  'messaging_service',
  'sources',
  ['reference/twilio.md §1.1', 'reference/twilio.md §4'],
  ['https://www.twilio.com/docs/messaging/api/services-shortcode-resource (with a short code in a Messaging '
   'Service Twilio always prioritises delivery with the short code when possible; read 2026-12-01)',
   'reference/twilio.md §1.1',
   'reference/twilio.md §4']),
 ('CountryRule',
  'US',
  'notes',
  [],
  ["Short code applications sent from mid-December to early January wait for the carriers' annual provisioning "
   'freeze.']),
 ('CountryRule',
  'US',
  'sources',
  ['reference/twilio.md §6', 'https://www.twilio.com/en-us/guidelines/us/sms'],
  ['reference/twilio.md §6',
   'https://www.twilio.com/en-us/guidelines/us/sms',
   'https://www.twilio.com/en-us/guidelines/us/short-code (annual provisioning freeze mid-December to early '
   'January; read 2026-12-01)',
   "Assumption, not a Twilio figure: T-Mobile reported 139.9 million connections to Verizon's 146.1 million at the "
   'end of Q3 2025 (http://www.seemyphone.com/news/130658.html, read 2026-12-01), about a third of US '
   "subscriptions; 40 % is assumed to leave room. A recipient list's real share varies: check it with Lookup"]),
 ('CountryRule', 'US', 'carrier_share_percent', {}, {'T-Mobile': 40}),
 ('CountryRule',
  'CA',
  'lead_time_overrides',
  {},
  {'short_code': {'business_days': False, 'max_days': 112, 'min_days': 84, 'text': '12–16 weeks'}}),
 ('CountryRule',
  'CA',
  'notes',
  ['Canadian short codes provisioned before December 2016 default to 30 MPS.'],
  ['Canadian short codes provisioned before December 2016 default to 30 MPS.',
   "Short code applications sent from mid-October to early January wait for the Canadian carriers' annual "
   'provisioning freeze.']),
 ('CountryRule',
  'CA',
  'sources',
  ['reference/twilio.md §6', 'https://www.twilio.com/en-us/guidelines/ca/sms'],
  ['reference/twilio.md §6',
   'https://www.twilio.com/en-us/guidelines/ca/sms (carriers filter A2P messages on long codes strictly; short '
   'codes recommended; read 2026-12-01)',
   'https://www.twilio.com/en-us/guidelines/ca/short-code (12–16 weeks once everything is submitted; freeze '
   "mid-October to early January; the SMS guideline's older 8–12 weeks is not used; read 2026-12-01)"]),
 ('CountryRule',
  'CA',
  'carrier_filtering',
  {},
  {'long_code': 'Canadian carriers filter application-to-person messages on long codes strictly; Twilio recommends '
                'short codes for them.'}),
 ('CountryRule', 'BR', 'lead_time_overrides', {}, {'short_code': None}),
 ('CountryRule',
  'BR',
  'notes',
  ['Alphanumeric sender IDs are replaced by a short code or a local number.',
   "Short code applications sent from late November to mid-January wait for the carriers' annual provisioning "
   'freeze.',
   'Brazilian short codes have five digits and are free to the end user.'],
  ['Alphanumeric sender IDs are replaced by a short code or a local number.',
   "Short code applications sent from late November to mid-January wait for the carriers' annual provisioning "
   'freeze.',
   'Brazilian short codes have five digits and are free to the end user.',
   'A short code carries 150 MPS of passcodes and critical alerts; Twilio gives no figure for marketing.']),
 ('CountryRule',
  'BR',
  'sources',
  ['seeds/isv-messaging-architecture.txt (sender decision flow)',
   'https://www.twilio.com/en-us/guidelines/br/sms',
   'https://www.twilio.com/en-us/guidelines/br/short-code'],
  ['seeds/isv-messaging-architecture.txt (sender decision flow)',
   'https://www.twilio.com/en-us/guidelines/br/sms',
   'https://www.twilio.com/en-us/guidelines/br/short-code (freeze late November to mid-January; no provisioning '
   'time given; read 2026-12-01)',
   'https://support.twilio.com/hc/en-us/articles/4425028701467 (Brazil short codes: transactional traffic 150 TPS; '
   'marketing 9 am–10 pm, at most 7 a week per user; read 2026-12-01)']),
 ('CountryRule', 'BR', 'transactional_mps_overrides', {}, {'short_code': 150}),
 ('CountryRule',
  'BR',
  'marketing_rules',
  [],
  ['Marketing messages only between 9 am and 10 pm, unless the recipient agreed to other hours.',
   'At most 7 marketing messages per recipient a week, unless the recipient agreed to more.']),
 ('CountryRule',
  'DE',
  'offered',
  ['alphanumeric_unregistered', 'long_code'],
  ['short_code', 'alphanumeric_unregistered', 'long_code']),
 ('CountryRule', 'DE', 'lead_time_overrides', {}, {'short_code': None}),
 ('CountryRule',
  'DE',
  'notes',
  [],
  ["German short codes: a 3-month minimum term and 3 months' notice to return one; one without traffic for a while "
   'may be withdrawn. No sending-hour restrictions and no mandatory keywords.']),
 ('CountryRule',
  'DE',
  'sources',
  ['reference/twilio.md §6',
   'seeds/isv-messaging-architecture.txt (sender decision flow)',
   'https://www.twilio.com/en-us/guidelines/de/sms'],
  ['reference/twilio.md §6',
   'seeds/isv-messaging-architecture.txt (sender decision flow)',
   'https://www.twilio.com/en-us/guidelines/de/sms',
   'https://www.twilio.com/en-us/guidelines/de/short-code (Twilio provisions German short codes; 3-month term and '
   'notice; read 2026-12-01)',
   'https://support.twilio.com/hc/en-us/articles/1260803518849 (Germany short code best practices: no hour '
   'restrictions, no mandatory keywords; read 2026-12-01)']),
 ('CountryRule',
  'IN',
  'offered',
  ['international_long_code'],
  ['alphanumeric_registered', 'international_long_code']),
 ('CountryRule', 'IN', 'alphanumeric', 'unsupported', 'pre_registration'),
 ('CountryRule',
  'IN',
  'extra_steps',
  {},
  {'alphanumeric_registered': ['Register the entity, the sender ID (header) and each message template on an Indian '
                               'DLT portal first; then send Twilio the Entity ID and template IDs: only approved '
                               'templates are delivered.']}),
 ('CountryRule',
  'IN',
  'notes',
  ['Messages reach Indian recipients over international routes from a random short number: the sender ID is not '
   'preserved.',
   'Messages with shortened URLs are not allowed.'],
  ["Twilio's two sources disagree. The SMS guidelines describe messages arriving over international routes from a "
   'random number, the sender ID not preserved; the pre-registration article registers alphanumeric sender IDs '
   "through the DLT portal. The article is the current one: its later revision adds the carriers' template "
   'allowlisting and how to add templates after setup. So a DLT-registered sender ID keeps the sender; '
   'unregistered traffic still arrives from a random number.',
   'Messages with shortened URLs are not allowed.']),
 ('CountryRule',
  'IN',
  'sources',
  ['reference/twilio.md §6', 'https://www.twilio.com/en-us/guidelines/in/sms'],
  ['reference/twilio.md §6',
   'https://www.twilio.com/en-us/guidelines/in/sms (two-way SMS not supported; sender ID not preserved on '
   'international routes; read 2026-12-01)',
   'https://support.twilio.com/hc/en-us/articles/21162166457755 (alphanumeric sender ID pre-registration in India '
   'through the DLT portal, with template allowlisting; read 2026-12-01)',
   'https://www.twilio.com/docs/messaging/guides/sending-international-sms-guide (India limits the times for '
   'sending promotional messages and requires opt-in; read 2026-12-01)']),
 ('CountryRule',
  'IN',
  'marketing_rules',
  [],
  ['Promotional messages only in the hours India permits, and only to recipients who opted in.']),
 ('TrustTier',
  'high',
  'sources',
  ['reference/twilio.md §6'],
  ['reference/twilio.md §6',
   'https://support.twilio.com/hc/en-us/articles/1260804800549 (T-Mobile daily message limits: a cap per brand by '
   'Trust Score, 200,000 for the top scores and Russell 3000 companies, 2,000 a day by default; read 2026-12-01)']),
 ('TrustTier', 'medium', 'tmobile_daily_cap', None, 2000),
 ('TrustTier',
  'medium',
  'notes',
  [],
  ["T-Mobile's cap for this tier could not be read on Twilio's page: 2,000 segments a day, the default Twilio "
   'states, is kept as the conservative figure (other providers publish 40,000 for scores around 50–74 and 10,000 '
   'for 25–49); staff can raise it once Twilio confirms it.']),
 ('TrustTier',
  'medium',
  'sources',
  ['reference/twilio.md §6'],
  ['reference/twilio.md §6',
   'https://support.twilio.com/hc/en-us/articles/1260804800549 (T-Mobile daily message limits: a cap per brand by '
   'Trust Score, 200,000 for the top scores and Russell 3000 companies, 2,000 a day by default; read 2026-12-01)']),
 ('TrustTier', 'low', 'tmobile_daily_cap', None, 2000),
 ('TrustTier',
  'low',
  'notes',
  [],
  ["T-Mobile's cap for this tier could not be read on Twilio's page: 2,000 segments a day, the default Twilio "
   'states, is kept as the conservative figure (other providers publish 40,000 for scores around 50–74 and 10,000 '
   'for 25–49); staff can raise it once Twilio confirms it.']),
 ('TrustTier',
  'low',
  'sources',
  ['reference/twilio.md §6'],
  ['reference/twilio.md §6',
   'https://support.twilio.com/hc/en-us/articles/1260804800549 (T-Mobile daily message limits: a cap per brand by '
   'Trust Score, 200,000 for the top scores and Russell 3000 companies, 2,000 a day by default; read 2026-12-01)']),
 ('TrustTier',
  'sole_proprietor',
  'notes',
  ['One campaign and one number.'],
  ['One campaign and one number.',
   'For individuals in the US or Canada without a tax ID; it replaces the Starter brand.']),
 ('TrustTier',
  'sole_proprietor',
  'sources',
  ['reference/twilio.md §6'],
  ['reference/twilio.md §6',
   'https://support.twilio.com/hc/en-us/articles/1260804800549 (notice: new Starter brands are no longer '
   'registered; Low-Volume Standard brands for fewer than 6,000 messages a day; Sole Proprietor brands replace '
   'Starter; read 2026-12-01)',
   'https://www.twilio.com/docs/messaging/compliance/a2p-10dlc/onboarding-isv-api-sole-prop-new (Sole Proprietor '
   'brands only for customers in the US and Canada without a tax ID; read 2026-12-01)']),
 ('TrustTier', 'sole_proprietor', 'position', 3, 4)]

KEY_FIELDS = {"SenderType": "code", "CountryRule": "country", "TrustTier": "code"}


def refresh_built_in_facts(apps, schema_editor):
    for model_name, key, field, before, after in FACTS:
        model = apps.get_model("catalogue", model_name)
        row = model.objects.filter(**{KEY_FIELDS[model_name]: key}).first()
        if row is not None and getattr(row, field) == before:
            setattr(row, field, after)
            row.save(update_fields=[field])


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_sender_catalogue"),
    ]

    operations = [
        migrations.AddField(
            model_name="sendertype",
            name="one_time_fee_text",
            field=models.CharField(blank=True, help_text="Registration and vetting fees", max_length=300),
        ),
        migrations.AddField(
            model_name="sendertype",
            name="one_time_fee_usd",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True),
        ),
        migrations.AddField(
            model_name="sendertype",
            name="fees_read_on",
            field=models.DateField(blank=True, help_text="When the fee amounts were read", null=True),
        ),
        migrations.AddField(
            model_name="sendertype",
            name="fees_source",
            field=models.CharField(blank=True, help_text="The page the fee amounts come from", max_length=300),
        ),
        migrations.AddField(
            model_name="countryrule",
            name="transactional_mps_overrides",
            field=models.JSONField(
                blank=True, default=dict, help_text='{"type code": MPS for passcodes and transactional messages}'
            ),
        ),
        migrations.AddField(
            model_name="countryrule",
            name="marketing_rules",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="When and how often marketing messages may be sent, one rule a line",
            ),
        ),
        migrations.AddField(
            model_name="countryrule",
            name="carrier_filtering",
            field=models.JSONField(blank=True, default=dict, help_text='{"type code": "how carriers filter it"}'),
        ),
        migrations.AddField(
            model_name="countryrule",
            name="carrier_share_percent",
            field=models.JSONField(
                blank=True, default=dict, help_text='{"carrier": assumed percent of recipients}, e.g. {"T-Mobile": 40}'
            ),
        ),
        migrations.RunPython(refresh_built_in_facts, migrations.RunPython.noop),
    ]
