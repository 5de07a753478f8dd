"""The webhook endpoints Twilio calls: status callbacks, inbound messages, the inbound fallback, and the debugger's
events."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_tenants.utils import schema_context

from config.api import problem_response
from config.celery import enqueue_on_commit
from messaging.domain.callbacks import MalformedCallback, read_status_callback
from messaging.insights.services import MalformedDebuggerEvent, debugger_event_record
from messaging.services.callbacks import status_callback_apply
from messaging.services.inbound import MalformedInbound, message_receive
from messaging.services.replays import webhook_replay_store
from messaging.webhooks.auth import WebhookTenant, authenticated_tenant
from tenants.models import Tenant

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _refused(why: str):
    if why == "unknown":
        return problem_response(
            404, "Unknown account", "No tenant has this Twilio account (AccountSid).", "unknown_account"
        )
    return problem_response(
        403, "Bad signature", "X-Twilio-Signature does not match this request for its account.", "bad_signature"
    )


def _malformed(detail: str):
    return problem_response(400, "Malformed webhook", detail, "malformed_webhook")


@csrf_exempt
@require_POST
def status_callback(request, message_uuid: uuid.UUID):
    """A message's status changed at Twilio (or the carrier): apply it forward-only and keep it."""
    tenant, why = authenticated_tenant(request)
    if tenant is None:
        return _refused(why)
    try:
        report = read_status_callback(request.POST)
    except MalformedCallback as exc:
        return _malformed(str(exc))
    with schema_context(tenant.schema):
        applied = status_callback_apply(message_uuid=message_uuid, report=report, payload=request.POST.dict())
    if applied is None:
        return problem_response(404, "Unknown message", f"No message {message_uuid} with this SID.", "unknown_message")
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def inbound(request):
    """A handset's message to one of the tenant's senders: stored, then answered with empty TwiML."""
    tenant, why = authenticated_tenant(request)
    if tenant is None:
        return _refused(why)
    try:
        _receive(tenant, request.POST.dict())
    except MalformedInbound as exc:
        return _malformed(str(exc))
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


def _receive(tenant: WebhookTenant, params: dict[str, str]) -> None:
    with schema_context(tenant.schema):
        message_receive(params=params, tenant=Tenant.objects.get(schema_name=tenant.schema))


@csrf_exempt
@require_POST
def inbound_fallback(request):
    """Twilio's second try when the inbound URL failed: the signed form is kept, and a task replays it."""
    from messaging.tasks import webhook_replay_task

    tenant, why = authenticated_tenant(request)
    if tenant is None:
        return _refused(why)
    with schema_context(tenant.schema):
        replay = webhook_replay_store(params=request.POST.dict())
        enqueue_on_commit(webhook_replay_task, replay_id=replay.pk)
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


@csrf_exempt
@require_POST
def debugger_event(request):
    """An error or warning Twilio's debugger saw on a tenant's subaccount (an undelivered webhook, a refused request):
    kept once per Sid; the health check counts the errors of its window."""
    tenant, why = authenticated_tenant(request)
    if tenant is None:
        return _refused(why)
    try:
        debugger_event_record(tenant=Tenant.objects.get(schema_name=tenant.schema), params=request.POST.dict())
    except MalformedDebuggerEvent as exc:
        return _malformed(str(exc))
    return HttpResponse(status=204)
