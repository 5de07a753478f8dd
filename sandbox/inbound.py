"""Messages from simulated handsets: opt-out keywords, auto-replies, the signed inbound webhook, TwiML replies.

Keyword handling follows Twilio's defaults (reference/twilio.md §4): the whole body, trimmed and case-insensitive,
must be a keyword. An opt-out blocks the sender the handset wrote to, or the whole Messaging Service when the
sender is in one; START/YES/UNSTOP lift it. Standalone short codes get no keyword handling, as on Twilio. Every
Messaging Service is treated as having Advanced Opt-Out enabled, so its inbound webhooks carry `OptOutType`.
"""

from __future__ import annotations

import contextlib
import mimetypes
import xml.etree.ElementTree as ElementTree
from typing import Final

from sandbox import numbers
from sandbox.errors import ApiError
from sandbox.lifecycle import API_VERSION, Simulation
from sandbox.outbound import SendRequest, create_message
from sandbox.segments import segment_count
from sandbox.state import Account, Message, Sender, Service

OPT_OUT_KEYWORDS: Final = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
OPT_IN_KEYWORDS: Final = frozenset({"START", "YES", "UNSTOP"})
HELP_KEYWORDS: Final = frozenset({"HELP", "INFO"})
AUTO_REPLIES: Final = {
    "STOP": "You have been unsubscribed and will receive no more messages from this number. "
    "Reply START to resubscribe.",
    "START": "You have been resubscribed to messages from this number. Reply HELP for help, STOP to "
    "unsubscribe. Msg&Data rates may apply.",
    "HELP": "Reply STOP to unsubscribe. Msg&Data rates may apply.",
}


class InboundRefused(Exception):
    """The handset's message cannot be received (unknown sender number, inactive account, bad From)."""


def keyword_type(body: str) -> str | None:
    """STOP, START or HELP when the whole body is one of that group's keywords, else None."""
    word = body.strip().upper()
    if word in OPT_OUT_KEYWORDS:
        return "STOP"
    if word in OPT_IN_KEYWORDS:
        return "START"
    if word in HELP_KEYWORDS:
        return "HELP"
    return None


def receive(simulation: Simulation, *, from_: str, to: str, body: str, media_urls: tuple[str, ...] = ()) -> Message:
    """A handset sends an SMS/MMS to a sender: record it, apply keywords, post the inbound webhook."""
    store = simulation.store
    sender = store.senders.get(to)
    if sender is None:
        raise InboundRefused(f"no sender has the address {to!r}")
    account = store.accounts[sender.account_sid]
    if account.status != "active":
        raise InboundRefused(f"the account {account.sid} is {account.status}")
    if not numbers.is_e164(from_):
        raise InboundRefused(f"From must be an E.164 number, not {from_!r}")
    service = store.services.get(sender.service_sid or "")
    message = _record(simulation, account, sender, service, from_, body, media_urls)
    opt_out_type = _apply_keyword(simulation, sender, service, from_, body)
    _post_webhook(simulation, account, sender, service, message, opt_out_type if service else None)
    return message


def _record(
    simulation: Simulation,
    account: Account,
    sender: Sender,
    service: Service | None,
    from_: str,
    body: str,
    media_urls: tuple[str, ...],
) -> Message:
    store = simulation.store
    message = Message(
        sid=store.new_sid("MM" if media_urls else "SM"),
        account_sid=account.sid,
        to=sender.address,
        from_=from_,
        body=body,
        direction="inbound",
        status="received",
        media_urls=media_urls,
        messaging_service_sid=service.sid if service else None,
    )
    message.num_segments, message.encoding = segment_count(body) if body else (1, "GSM-7")
    message.set_status("received")
    store.add_message(message)
    store.handset(from_).outgoing.append(message)
    return message


def _apply_keyword(
    simulation: Simulation, sender: Sender, service: Service | None, handset: str, body: str
) -> str | None:
    kind = keyword_type(body)
    if kind is None or (sender.kind == "short_code" and service is None):
        return None
    scope = (service.sid if service else sender.address, handset)
    if kind == "STOP":
        simulation.store.opt_outs.add(scope)
    elif kind == "START":
        simulation.store.opt_outs.discard(scope)
    _auto_reply(simulation, sender, handset, AUTO_REPLIES[kind])
    return kind


def _auto_reply(simulation: Simulation, sender: Sender, handset: str, text: str) -> None:
    # Twilio's keyword replies skip the queue and cost nothing; here they land in the inbox at once.
    store = simulation.store
    reply = Message(
        sid=store.new_sid("SM"),
        account_sid=sender.account_sid,
        to=handset,
        from_=sender.address,
        body=text,
        direction="outbound-reply",
        status="delivered",
        messaging_service_sid=sender.service_sid,
    )
    reply.num_segments, reply.encoding = segment_count(text)
    reply.set_status("delivered")
    store.add_message(reply)
    store.handset(handset).inbox.append(reply)


def webhook_params(message: Message, opt_out_type: str | None) -> list[tuple[str, str]]:
    """The form fields of an inbound message webhook (reference/twilio.md §2.2)."""
    params = [
        ("ToCountry", numbers.country_of(message.to)),
        ("ToState", ""),
        ("ToCity", ""),
        ("ToZip", ""),
        ("FromCountry", numbers.country_of(message.from_ or "")),
        ("FromState", ""),
        ("FromCity", ""),
        ("FromZip", ""),
        ("SmsMessageSid", message.sid),
        ("SmsSid", message.sid),
        ("MessageSid", message.sid),
        ("SmsStatus", "received"),
        ("AccountSid", message.account_sid),
        ("From", message.from_ or ""),
        ("To", message.to),
        ("Body", message.body),
        ("NumSegments", str(message.num_segments)),
        ("NumMedia", str(len(message.media_urls))),
        ("ApiVersion", API_VERSION),
    ]
    if message.messaging_service_sid:
        params.append(("MessagingServiceSid", message.messaging_service_sid))
    if opt_out_type:
        params.append(("OptOutType", opt_out_type))
    for index, url in enumerate(message.media_urls):
        content_type = mimetypes.guess_type(url.split("?", 1)[0])[0] or "image/jpeg"
        params += [(f"MediaUrl{index}", url), (f"MediaContentType{index}", content_type)]
    return params


def _post_webhook(
    simulation: Simulation,
    account: Account,
    sender: Sender,
    service: Service | None,
    message: Message,
    opt_out_type: str | None,
) -> None:
    url, method = sender.sms_url, sender.sms_method
    if service is not None and service.inbound_request_url and not service.use_inbound_webhook_on_number:
        url, method = service.inbound_request_url, service.inbound_method
    if not url:
        return

    async def on_response(status: int, content_type: str, text: str) -> None:
        if "xml" in content_type.lower():
            _send_twiml_replies(simulation, account, sender, message.from_ or "", text)

    simulation.poster.post(
        url,
        webhook_params(message, opt_out_type),
        auth_token=account.auth_token,
        kind="inbound",
        record=message.callbacks,
        method=method,
        on_response=on_response,
    )


def _send_twiml_replies(simulation: Simulation, account: Account, sender: Sender, handset: str, twiml: str) -> None:
    for to, body, media in parse_twiml_messages(twiml):
        request = SendRequest(
            to=to or handset, from_=sender.address, body=body, media_urls=media, direction="outbound-reply"
        )
        # Twilio logs a failed TwiML <Message> to its debugger; the webhook's author never sees the error.
        with contextlib.suppress(ApiError):
            create_message(simulation, account, request)


def parse_twiml_messages(twiml: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(to, body, media URLs) of each <Message> verb in a TwiML <Response>; [] for anything unparseable."""
    try:
        root = ElementTree.fromstring(twiml)
    except ElementTree.ParseError:
        return []
    if root.tag != "Response":
        return []
    replies = []
    for verb in root.iter("Message"):
        body_element = verb.find("Body")
        body = (body_element.text if body_element is not None else verb.text) or ""
        media = tuple((element.text or "").strip() for element in verb.iter("Media"))
        replies.append((verb.get("to", ""), body.strip(), media))
    return replies
