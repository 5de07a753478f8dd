"""The Sequences page of the Messages area: the newest sequences with their progress, one sequence with each part's
status and message; read-only, for every role that reads the logs; another tenant's sequences never show."""

from __future__ import annotations

import pytest

from messaging.services.sequences import PartContent, sequence_create
from tests.factories import SenderFactory, in_tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(client_a, acme_member):
    client_a.force_login(acme_member("analyst"))
    return client_a


@pytest.fixture
def sequences(tenant_a, tenant_b, dispatch_index):
    """A running sequence of acme's, and one of globex's."""
    sender = SenderFactory(tenant=tenant_a, address="+14165550100", mps=10)
    parts = [PartContent(body="Welcome aboard"), PartContent(body="Here is how", media_urls=("https://e.test/1.png",))]
    with in_tenant(tenant_a):
        acme = sequence_create(tenant=tenant_a, to="+14165550199", parts=parts, sender=sender, policy="continue")
    globex_sender = SenderFactory(tenant=tenant_b, address="+447911123456", country="GB", mps=10)
    with in_tenant(tenant_b):
        globex = sequence_create(tenant=tenant_b, to="+447400123456", parts=parts, sender=globex_sender)
    return acme, globex


def test_the_list_shows_the_tenants_sequences_with_their_progress(analyst, sequences):
    acme, globex = sequences
    response = analyst.get("/messages/sequences/")
    assert response.status_code == 200
    assert [s.uuid for s in response.context["sequences"]] == [acme.uuid]
    page = response.content.decode()
    assert f'data-testid="sequence-{acme.uuid}"' in page
    assert str(globex.uuid) not in page
    assert '<td data-testid="delivered">0 of 2</td>' in page
    assert 'data-testid="tab-sequences"' in page


def test_a_sequence_shows_each_parts_status_and_message(analyst, sequences, tenant_a):
    acme, _ = sequences
    response = analyst.get(f"/messages/sequences/{acme.uuid}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<span class="badge status-running" data-testid="status">running</span>' in page
    with in_tenant(tenant_a):
        first = acme.parts.get(position=1).message
    assert f'href="/messages/{first.uuid}/"' in page
    assert [(p.position, p.status) for p in response.context["sequence"].parts.all()] == [(1, "sent"), (2, "pending")]
    assert "1 media" in page


def test_another_tenants_sequence_is_not_found(analyst, sequences):
    _, globex = sequences
    assert analyst.get(f"/messages/sequences/{globex.uuid}/").status_code == 404


def test_a_parts_message_links_to_its_sequence(analyst, sequences, tenant_a):
    acme, _ = sequences
    with in_tenant(tenant_a):
        first = acme.parts.get(position=1).message
    page = analyst.get(f"/messages/{first.uuid}/").content.decode()
    assert f'Part 1 of <a href="/messages/sequences/{acme.uuid}/">an ordered sequence</a> (sent).' in page
