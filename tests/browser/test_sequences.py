"""An analyst follows an ordered sequence from the Messages page: the Sequences tab lists it with its progress, its
page shows each part's status, and a part links to its message."""

import os

import pytest
from django.utils import timezone

from messaging.models import Message, SequencePart
from messaging.services.sequences import PartContent, sequence_advance, sequence_create
from tenants.models import Membership, Tenant
from tests.browser.conftest import sign_in_member, tenant_url
from tests.factories import SenderFactory, in_tenant

pytestmark = [pytest.mark.browser]


def test_an_analyst_follows_a_sequence_part_by_part(committed_tenants, dispatch_index, live_server, browser_page):
    # given a running sequence of acme whose first part was delivered
    acme = Tenant.objects.get(slug="acme")
    sender = SenderFactory(tenant=acme, address="+14165550100", label="Front desk", mps=10)
    parts = [PartContent(body=f"Part {n} of the story") for n in (1, 2, 3)]
    with in_tenant(acme):
        sequence = sequence_create(tenant=acme, to="+14165550199", parts=parts, sender=sender)
        first = SequencePart.objects.get(sequence=sequence, position=1).message
        Message.objects.filter(pk=first.pk).update(
            status="delivered", sent_at=timezone.now(), delivered_at=timezone.now()
        )
        sequence_advance(tenant=acme, sequence_id=sequence.pk)
    page = browser_page
    sign_in_member(page, live_server, slug="acme", email="analyst@acme.test", role=Membership.Role.ANALYST)
    # when the analyst opens Messages, then Sequences
    page.click("[data-testid=nav-messages]")
    page.click("[data-testid=tab-sequences]")
    row = page.wait_for_selector(f"[data-testid=sequence-{sequence.uuid}]")
    # then the sequence is listed with its progress
    assert page.inner_text(f"[data-testid=sequence-{sequence.uuid}] [data-testid=delivered]") == "1 of 3"
    assert "+14165550199" in row.inner_text()
    # when they open it, each part shows its status in order
    page.click(f"[data-testid=sequence-{sequence.uuid}] a")
    page.wait_for_selector("[data-testid=status]:text('running')")
    statuses = page.eval_on_selector_all("[data-testid=part-status]", "badges => badges.map(b => b.textContent)")
    assert statuses == ["delivered", "sent", "pending"]
    if os.environ.get("SCREENSHOT_DIR"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOT_DIR"], "sequence.png"), full_page=True)
    # and part 1 leads to its message, which leads back
    page.click("[data-testid=part-1] a")
    page.wait_for_selector("[data-testid=sequence-part]")
    page.click("[data-testid=sequence-part] a")
    assert page.url == tenant_url(live_server, "acme", f"/messages/sequences/{sequence.uuid}/")
