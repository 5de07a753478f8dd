"""An operator composes a message on the Messages page, with the live segment counter, and finds it in the outbox
and on its timeline; once the engine drains the lane, the timeline shows Twilio's answer."""

import pytest

from messaging.dispatch import sending
from messaging.dispatch.drain import drain
from messaging.models import Message
from tenants.models import Membership, Tenant
from tests.browser.conftest import sign_in_member, tenant_url
from tests.factories import SenderFactory, in_tenant

pytestmark = [pytest.mark.browser]


def test_an_operator_composes_a_message_and_follows_it(committed_tenants, dispatch_index, live_server, browser_page):
    # given an operator of acme with one sender, signed in
    acme = Tenant.objects.get(slug="acme")
    sender = SenderFactory(tenant=acme, address="+14165550100", label="Front desk")
    page = browser_page
    sign_in_member(page, live_server, slug="acme", email="operator@acme.test", role=Membership.Role.OPERATOR)
    # when the operator opens Messages: the outbox is empty
    page.click("[data-testid=nav-messages]")
    page.wait_for_selector("[data-testid=box-title]:text('Outbox')")
    assert page.inner_text("[data-testid=messages] tbody") == "No messages here."
    # and composes a message; the counter follows the typing
    page.click("[data-testid=tab-compose]")
    page.fill("#id_to", "(416) 555-0199")
    page.select_option("#id_sender", f"sender:{sender.pk}")
    page.fill("#id_body", "Your table is ready")
    page.wait_for_selector("[data-testid=segment-counter][data-segments='1']")
    assert page.inner_text("[data-testid=segment-counter] [data-role=summary]") == "19 characters · GSM-7 · 1 segment"
    page.fill("#id_body", "Your table is ready ✓")
    page.wait_for_selector("[data-testid=segment-counter][data-encoding='UCS-2']")
    assert page.inner_text("[data-testid=segment-counter] [data-role=summary]") == "21 characters · UCS-2 · 1 segment"
    page.click("[data-testid=send]")
    # then its timeline: queued, created by the UI
    page.wait_for_selector("[data-testid=status]:text('queued')")
    with in_tenant(acme):
        message = Message.objects.get()
    assert (message.source, message.to, message.body) == ("ui", "+14165550199", "Your table is ready ✓")
    assert page.url == tenant_url(live_server, "acme", f"/messages/{message.uuid}/")
    assert page.inner_text("ul.flash") == "Message to +14165550199 queued."
    assert page.get_attribute("[data-testid=event-1]", "data-kind") == "created"
    # and it waits in the outbox
    page.click("[data-testid=tab-outbox]")
    row = page.wait_for_selector(f"[data-testid=message-{message.uuid}]")
    assert "Your table is ready ✓" in row.inner_text()
    # when the engine drains the sender's lane (the fake gateway stands in for Twilio)
    sending.forget_tenant(acme.schema_name)
    report = drain(budget_seconds=5, threads=1)
    # then the timeline shows the claim and Twilio's answer, and the message is in the sent list
    assert report.outcomes == {"accepted": 1}
    page.goto(tenant_url(live_server, "acme", f"/messages/{message.uuid}/"))
    page.wait_for_selector("[data-testid=status]:text('accepted')")
    kinds = page.eval_on_selector_all("[data-testid=timeline] tbody tr", "rows => rows.map(row => row.dataset.kind)")
    assert kinds == ["created", "claimed", "accepted"]
    assert page.is_visible("[data-testid=leg-created-accepted]")
    page.click("[data-testid=tab-sent]")
    page.wait_for_selector(f"[data-testid=message-{message.uuid}]")
