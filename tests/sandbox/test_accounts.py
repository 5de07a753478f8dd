"""Subaccounts in the sandbox: creation through the Accounts API, parents acting on them, suspend and close."""

from __future__ import annotations

import re

import pytest
from twilio.base.exceptions import TwilioRestException

HANDSET = "+14155551234"


def _send(client, sender: str, body: str = "Hi"):
    return client.messages.create(to=HANDSET, from_=sender, body=body)


def _error(call) -> tuple[int, int]:
    with pytest.raises(TwilioRestException) as raised:
        call()
    return raised.value.status, raised.value.code


def test_create_subaccount_returns_twilio_account_shape(sandbox):
    # when
    account = sandbox.client().api.v2010.accounts.create(friendly_name="Acme")

    # then
    assert re.fullmatch(r"AC[0-9a-f]{32}", account.sid)
    assert re.fullmatch(r"[0-9a-f]{32}", account.auth_token)
    assert (account.friendly_name, account.status, account.owner_account_sid, account.type) == (
        "Acme",
        "active",
        sandbox.account_sid,
        "Full",
    )
    assert account.uri == f"/2010-04-01/Accounts/{account.sid}.json"


def test_parent_lists_and_fetches_its_subaccounts(sandbox):
    # given
    acme = sandbox.create_subaccount("Acme")
    globex = sandbox.create_subaccount("Globex")

    # when
    listed = sandbox.client().api.v2010.accounts.list()
    fetched = sandbox.client().api.v2010.accounts(acme.sid).fetch()

    # then
    assert sorted(a.sid for a in listed) == sorted([sandbox.account_sid, acme.sid, globex.sid])
    assert fetched.friendly_name == "Acme"


def test_subaccount_sees_only_itself_and_cannot_create_subaccounts(sandbox):
    # given
    acme = sandbox.create_subaccount("Acme")
    sandbox.create_subaccount("Globex")
    client = sandbox.client(acme.sid, acme.auth_token)

    # when
    listed = client.api.v2010.accounts.list()
    refused = _error(lambda: client.api.v2010.accounts.create(friendly_name="Nested"))

    # then
    assert [a.sid for a in listed] == [acme.sid]
    assert refused == (401, 20003)


def test_parent_sends_on_a_subaccount_path_with_its_own_credentials(sandbox, sandbox_tenant):
    # given
    parent = sandbox.client(account_sid=sandbox_tenant.sid)

    # when
    message = _send(parent, sandbox_tenant.sender)

    # then
    assert message.account_sid == sandbox_tenant.sid
    assert [m.sid for m in sandbox_tenant.client.messages.list()] == [message.sid]


def test_suspended_subaccount_cannot_send_until_reactivated(sandbox, sandbox_tenant):
    # given
    accounts = sandbox.client().api.v2010.accounts

    # when
    suspended = accounts(sandbox_tenant.sid).update(status="suspended")
    own_credentials = _error(lambda: _send(sandbox_tenant.client, sandbox_tenant.sender))
    parent_credentials = _error(lambda: _send(sandbox.client(account_sid=sandbox_tenant.sid), sandbox_tenant.sender))
    reactivated = accounts(sandbox_tenant.sid).update(status="active")
    sent = _send(sandbox_tenant.client, sandbox_tenant.sender)

    # then
    assert (suspended.status, own_credentials, parent_credentials) == ("suspended", (403, 20403), (403, 20403))
    assert (reactivated.status, sent.status) == ("active", "queued")
    assert [m["sid"] for m in sandbox.messages()] == [sent.sid]


def test_suspension_fails_messages_still_queued_with_30002(sandbox, sandbox_tenant):
    # given: at 1 MPS the second message waits behind the first one's three segments
    sandbox.update_sender(sandbox_tenant.sender, mps=1)
    _send(sandbox_tenant.client, sandbox_tenant.sender, body="7" * 307)
    waiting = _send(sandbox_tenant.client, sandbox_tenant.sender)

    # when
    sandbox.client().api.v2010.accounts(sandbox_tenant.sid).update(status="suspended")

    # then
    failed = sandbox.wait_for_status(waiting.sid, "failed", timeout=5)
    assert (failed["error_code"], failed["segment_times"]) == (30002, [])


def test_closed_subaccount_is_final(sandbox, sandbox_tenant):
    # given
    accounts = sandbox.client().api.v2010.accounts

    # when
    closed = accounts(sandbox_tenant.sid).update(status="closed")
    send_refused = _error(lambda: _send(sandbox_tenant.client, sandbox_tenant.sender))
    reopen_refused = _error(lambda: accounts(sandbox_tenant.sid).update(status="active"))

    # then
    assert (closed.status, send_refused, reopen_refused) == ("closed", (401, 20003), (400, 21479))
    assert accounts(sandbox_tenant.sid).fetch().status == "closed"
    assert sandbox.control("GET", f"/sandbox/api/senders?account_sid={sandbox_tenant.sid}")["senders"] == []


def test_a_subaccount_cannot_suspend_its_sibling(sandbox, sandbox_tenant):
    # given
    other = sandbox.create_subaccount("tenant-b")

    # when
    refused = _error(
        lambda: (
            sandbox.client(other.sid, other.auth_token)
            .api.v2010.accounts(sandbox_tenant.sid)
            .update(status="suspended")
        )
    )

    # then
    assert refused == (401, 20003)
    assert sandbox.client().api.v2010.accounts(sandbox_tenant.sid).fetch().status == "active"
