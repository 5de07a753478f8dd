"""Demo data for `make run`: idempotent, safe to run on every start; refused under production settings."""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_tenants.utils import tenant_context

from compliance.domain.registration import Mover
from compliance.models import Consent, Keyword
from compliance.services.consent import consent_record
from compliance.services.keywords import keyword_add, reply_text_set
from compliance.services.settings import settings_update
from messaging.errors import MessagingError
from messaging.gateways import get_gateway
from messaging.gateways.base import Credentials
from messaging.gateways.errors import GatewayError
from messaging.models import Campaign, ContactList, Sender
from messaging.services.campaigns.drafts import campaign_create
from messaging.services.contacts import contact_upsert
from messaging.services.contacts.lists import contact_list_add, contact_list_create
from messaging.services.numbers import senders_sync
from messaging.services.senders import sender_register, sender_registration_move
from tenants.models import Membership, Tenant, User
from tenants.selectors import subaccount_auth
from tenants.services import lifecycle
from tenants.services.memberships import membership_grant
from tenants.services.staff import staff_groups_sync
from tenants.staff_roles import OPERATIONS, SUPPORT

PASSWORD = "switchboard"
STAFF_EMAIL = "admin@switchboard.test"
# One demo staff member in each staff group below Platform admin (admin@ is a superuser).
STAFF_BY_GROUP = {"support@switchboard.test": SUPPORT, "ops@switchboard.test": OPERATIONS}
OFFER = "https://acme.example/winter"
DEMO_TENANTS = (
    {
        "slug": "acme",
        "name": "Acme Appointments",
        "time_zone": "America/New_York",
        "country": "US",
        "senders": [
            ("a2p_10dlc", "+15017122661", "US", "12", "Front desk"),
            ("toll_free", "+18445550100", "US", "3", "Reminders"),
        ],
        "contacts": [
            ("+14155550101", "Ada Lovelace"),
            ("+14155550102", "Grace Hopper"),
            ("+14155550103", "Alan Turing"),
            # Enough customers for the demo campaign's two variants to get a few each.
            *((f"+141555501{n:02d}", f"Customer{n} Demo") for n in range(10, 34)),
        ],
        "keyword": ("ALTO", "es", "Acme Appointments: no recibirá más mensajes. Responda START para volver."),
        "campaign": {
            "name": "Winter check-up offer",
            "list": "Demo customers",
            "sender": "+15017122661",
            "variants": [
                {
                    "body": f"Hi {{{{ first_name }}}}, book your winter check-up: {OFFER} Reply STOP to opt out",
                    "percent": 50,
                },
                {
                    "body": f"{{{{ first_name }}}}, 20% off a check-up this week: {OFFER} Reply STOP to opt out",
                    "percent": 50,
                },
            ],
        },
    },
    {
        "slug": "globex",
        "name": "Globex Deliveries",
        "time_zone": "Europe/London",
        "country": "GB",
        "senders": [
            ("long_code", "+447911123400", "GB", "10", "Couriers"),
            ("alphanumeric", "GLOBEX", "GB", "10", "Notifications"),
        ],
        "contacts": [("+447911123401", "Hank Scorpio"), ("+447911123402", "Marge Bouvier")],
        "keyword": ("UNSUB", "en", "Globex Deliveries: you are unsubscribed. Reply START to resubscribe."),
    },
)


def _user(email: str, **fields) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, PASSWORD, **fields)
    return user


class Command(BaseCommand):
    help = "Create the demo staff user, tenants acme and globex, their owners, senders and contacts."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "seed_demo refuses to run under production settings: it creates a superuser and tenant owners "
                f"whose password ({PASSWORD!r}) is published"
            )
        lifecycle.public_tenant_ensure()
        _user(STAFF_EMAIL, is_staff=True, is_superuser=True, full_name="ISV Staff")
        staff_groups_sync()
        for email, group in STAFF_BY_GROUP.items():
            _user(email, is_staff=True, full_name=f"ISV {group}").groups.add(Group.objects.get(name=group))
        for spec in DEMO_TENANTS:
            self._seed_tenant(spec)
        self.stdout.write("demo data ready")

    def _seed_tenant(self, spec: dict) -> None:
        tenant = Tenant.objects.filter(slug=spec["slug"]).first()
        if tenant is None:
            tenant = lifecycle.tenant_create(
                name=spec["name"],
                slug=spec["slug"],
                time_zone=spec["time_zone"],
                default_country=spec["country"],
            )
        owner = _user(f"owner@{spec['slug']}.test", full_name=f"{spec['name']} Owner")
        membership_grant(tenant=tenant, user=owner, role=Membership.Role.OWNER)
        with tenant_context(tenant):
            self._provision_numbers(tenant, spec)
        with tenant_context(tenant), transaction.atomic():
            for kind, address, country, mps, label in spec["senders"]:
                sender = sender_register(
                    kind=kind,
                    address=address,
                    country=country,
                    mps=Decimal(mps),
                    label=label,
                    two_way=kind != "alphanumeric",
                )
                if sender.kind == "a2p_10dlc" and sender.registration_state == "draft":
                    # The demo brand and campaign are approved, as ISV staff would record, so the demo sends at once.
                    sender_registration_move(tenant=tenant, sender=sender, target="submitted", by=Mover.STAFF)
                    sender_registration_move(
                        tenant=tenant, sender=sender, target="approved", by=Mover.STAFF, reference="DEMO"
                    )
            contacts = [
                contact_upsert(phone_number=number, name=name, default_country=spec["country"])
                for number, name in spec["contacts"]
            ]
            self._seed_compliance(tenant, spec)
            if "campaign" in spec:
                self._seed_campaign(tenant, spec["campaign"], contacts)

    def _seed_compliance(self, tenant: Tenant, spec: dict) -> None:
        """The demo contacts consented to marketing on a signup form; transactional messages and passcodes may leave
        at any hour; each tenant answers a keyword of its own."""
        for number, _name in spec["contacts"]:
            if not Consent.objects.filter(number=number).exists():
                consent_record(
                    tenant=tenant, number=number, purpose="marketing", source="web_form", actor_label="seed_demo",
                    evidence="demo signup form, 'Text me offers' ticked", disclosure="Msg&data rates may apply.",
                )  # fmt: skip
        # Booking confirmations and passcodes are what a person waits for at any hour: the demo tenants exempt them
        # from their sending hours, as such tenants do (marketing keeps every window).
        settings_update(tenant=tenant, actor_label="seed_demo", exempt_categories=["transactional", "passcode"])
        word, language, reply = spec["keyword"]
        if not Keyword.objects.filter(word=word).exists():
            keyword_add(tenant=tenant, word=word, kind="opt_out", language=language, actor_label="seed_demo")
            reply_text_set(tenant=tenant, kind="opt_out", language=language, text=reply, actor_label="seed_demo")

    def _seed_campaign(self, tenant: Tenant, spec: dict, contacts) -> None:
        """A draft A/B campaign to the demo contacts (27 for acme) that tracks its link: preflight it and launch it to
        see the campaign's results, click-through and the dashboards fill (marketing keeps the tenant's hours)."""
        if Campaign.objects.filter(name=spec["name"]).exists():
            return
        group = ContactList.objects.filter(name=spec["list"]).first() or contact_list_create(name=spec["list"])
        contact_list_add(contact_list=group, contact_ids=[contact.pk for contact in contacts])
        campaign_create(
            tenant=tenant,
            actor_label="seed_demo",
            fields={
                "name": spec["name"],
                "category": "marketing",
                "sender": Sender.objects.get(address=spec["sender"]),
                "list_ids": [group.pk],
                "variants": spec["variants"],
                "track_links": True,
            },
        )

    def _provision_numbers(self, tenant: Tenant, spec: dict) -> None:
        """Own the demo phone numbers in the tenant's subaccount (the sandbox in development), then sync them."""
        gateway = get_gateway()
        try:
            if gateway.find_subaccount(lifecycle.subaccount_friendly_name(tenant)) is None:
                # The provider forgot the subaccount (e.g. a sandbox started without its state): make a new one.
                lifecycle.tenant_provision(tenant=tenant, replace=True)
            credentials = Credentials(*subaccount_auth(tenant))
            owned = {number.phone_number for number in gateway.list_incoming_numbers(credentials)}
            for _, address, _, _, label in spec["senders"]:
                if address.startswith("+") and address not in owned:
                    gateway.provision_number(credentials, phone_number=address, friendly_name=label)
            senders_sync(tenant=tenant)
        except (GatewayError, MessagingError) as exc:
            self.stderr.write(f"{tenant.slug}: demo numbers not provisioned at Twilio ({exc}); senders kept locally")
