"""Issue acceptance, as a new user would try it, on the real `twilio` client and the running sandbox:
staff create `initech` in the admin; it gets a sandbox subaccount, a schema and an owner invitation; the owner
signs in on initech's host, makes an API key that works, buys a number and sends a test message, which the engine
takes to the sandbox; once staff suspend initech, the next send fails with "tenant suspended" and nothing reaches
the sandbox."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_exists

from messaging.dispatch import sending as dispatch_sending
from messaging.gateways import use_gateway
from messaging.models import Message
from tenants.models import Tenant, User
from tests.factories import in_tenant

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_onboard_initech_then_suspend_it(sandbox, public_client, django_capture_on_commit_callbacks):
    staff = User.objects.create_superuser("staff@switchboard.test", "pw-staff-1")
    public_client.force_login(staff)
    with use_gateway(sandbox.gateway()):
        # ISV staff create initech in the admin
        with django_capture_on_commit_callbacks(execute=True):
            created = public_client.post(
                "/admin/tenants/tenant/add/",
                {
                    "name": "Initech",
                    "slug": "initech",
                    "time_zone": "America/Chicago",
                    "default_country": "US",
                    "owner_email": "bill@initech.test",
                },
            )
        assert created.status_code == 302
        initech = Tenant.objects.get(slug="initech")
        accounts = {a["friendly_name"]: a for a in sandbox.control("GET", "/sandbox/api/accounts")["accounts"]}
        assert (accounts["switchboard:initech"]["sid"], accounts["switchboard:initech"]["status"]) == (
            initech.twilio_subaccount_sid,
            "active",
        )
        assert schema_exists("t_initech")

        # the owner follows the emailed link, sets a password and lands on the dashboard
        (invitation,) = mail.outbox
        assert invitation.to == ["bill@initech.test"]
        link = re.search(r"https?://initech\.localhost(?::\d+)?(/invitation/[^/\s]+/)", invitation.body)
        owner = Client(HTTP_HOST="initech.localhost")
        accepted = owner.post(
            link.group(1),
            {"full_name": "Bill Lumbergh", "password1": "tps-reports-2026", "password2": "tps-reports-2026"},
        )
        assert (accepted.status_code, accepted["Location"]) == (302, "/")

        # the owner creates an API key and it works
        page = owner.post("/api-keys/", {"name": "integration", "scopes": ["messages:read", "admin"]})
        key = page.context["created_plaintext"]
        api = Client(HTTP_HOST="initech.localhost", HTTP_AUTHORIZATION=f"Bearer {key}")
        assert api.get("/api/v1/tenant").json()["slug"] == "initech"

        # the owner buys a number and a test message reaches the handset
        bought = api.post("/api/v1/senders/numbers", {"area_code": "512"}, content_type="application/json")
        assert bought.status_code == 201
        sender_id = bought.json()["id"]
        assert (bought.json()["kind"], bought.json()["registration_state"]) == ("a2p_10dlc", "draft")
        # the owner submits the 10DLC campaign; ISV staff record the carriers' approval in the admin
        registration = f"/api/v1/senders/{sender_id}/registration"
        api.post(registration, {"state": "submitted"}, content_type="application/json")
        public_client.post("/admin/tenants/tenant/initech/senders/", {"sender_id": sender_id, "state": "approved"})
        sent = owner.post("/senders/test/", {"sender": sender_id, "to": "+15125550142", "body": "Hello"})
        assert sent.status_code == 302
        with in_tenant(initech):
            queued = Message.objects.get(source="test")
            assert sent["Location"] == f"/messages/{queued.uuid}/"
            assert dispatch_sending.process(initech.schema_name, queued.pk) == "accepted"  # the engine's step
        assert len(sandbox.messages()) == 1

        # staff suspend initech; the subaccount is suspended and the next send is refused before Twilio
        public_client.post("/admin/tenants/tenant/", {"action": "suspend_selected", "_selected_action": [initech.pk]})
        accounts = {a["friendly_name"]: a for a in sandbox.control("GET", "/sandbox/api/accounts")["accounts"]}
        assert accounts["switchboard:initech"]["status"] == "suspended"
        refused = owner.post("/senders/test/", {"sender": sender_id, "to": "+15125550142", "body": "Again"})
        assert refused.status_code == 400
        assert refused.context["test_form"].non_field_errors() == [
            "tenant suspended: Initech cannot send messages until ISV staff reactivate it"
        ]
        with in_tenant(initech):
            assert Message.objects.count() == 1
        assert len(sandbox.messages()) == 1
