"""Creating outbound messages: the checks Twilio makes synchronously, in the order it makes them.

A request that fails a check gets its API error (HTTP 4xx) and leaves no trace. One that passes becomes a Message
that is `queued` in its sender's lane (a send from a number) or `accepted` (a Messaging Service send, whose
sender is chosen afterwards and whose queue overflow is therefore the asynchronous 30001).
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox import numbers
from sandbox.errors import ApiError
from sandbox.lifecycle import Simulation
from sandbox.segments import segment_count
from sandbox.senders import provision_sender
from sandbox.state import Account, Message, Sender, Service

MAX_BODY = 1600
MAX_MEDIA = 10
MAX_VALIDITY = 36000


@dataclass(frozen=True, slots=True)
class SendRequest:
    """The create parameters the sandbox understands (others are accepted and ignored)."""

    to: str
    from_: str = ""
    messaging_service_sid: str = ""
    body: str = ""
    media_urls: tuple[str, ...] = ()
    status_callback: str = ""
    validity_period: str = ""
    smart_encoded: bool = False
    direction: str = "outbound-api"


def create_message(simulation: Simulation, account: Account, request: SendRequest) -> Message:
    """Validate a send like Twilio does and hand it to the simulation; raises ApiError."""
    _check_content(request)
    service = _service(simulation, account, request.messaging_service_sid)
    sender = _sender(simulation, account, request.from_)
    _check_destination(request.to, sender)
    if simulation.store.is_opted_out(sender, service.sid if service else None, request.to):
        raise ApiError(21610)
    validity = _validity(request.validity_period, service)
    if sender is None and service is not None:
        if not any(address in simulation.store.senders for address in service.pool):
            raise ApiError(21703)
        return _accept(simulation, account, request, service, validity)
    assert sender is not None
    return _queue(simulation, account, request, sender, service, validity)


def _check_content(request: SendRequest) -> None:
    if not request.to:
        raise ApiError(21604)
    if not request.from_ and not request.messaging_service_sid:
        raise ApiError(21603)
    if not request.body and not request.media_urls:
        raise ApiError(21602)
    if len(request.body) > MAX_BODY:
        raise ApiError(21617)
    if len(request.media_urls) > MAX_MEDIA:
        raise ApiError(21623)


def _service(simulation: Simulation, account: Account, sid: str) -> Service | None:
    if not sid:
        return None
    service = simulation.store.services.get(sid)
    if service is None or service.account_sid != account.sid:
        raise ApiError(21701)
    return service


def _sender(simulation: Simulation, account: Account, address: str) -> Sender | None:
    if not address:
        return None
    sender = simulation.store.senders.get(address)
    if sender is None and _is_alphanumeric(address):
        # Like Twilio, an alphanumeric sender ID needs no purchase: the first send from it sets it up.
        return provision_sender(simulation, account, address, kind="alphanumeric")
    if sender is None or sender.account_sid != account.sid:
        raise ApiError(21606 if numbers.is_e164(address) or address.isdigit() else 21212)
    return sender


def _is_alphanumeric(address: str) -> bool:
    return (
        1 <= len(address) <= 11 and any(c.isalpha() for c in address) and all(c.isalnum() or c == " " for c in address)
    )


def _check_destination(to: str, sender: Sender | None) -> None:
    code = numbers.TEST_NUMBER_ERRORS.get(to)
    if code is not None:
        raise ApiError(code)
    if not numbers.is_e164(to) or numbers.validation_errors(to):
        raise ApiError(21211)
    if sender is not None and sender.kind == "alphanumeric" and numbers.country_of(to) in {"US", "CA"}:
        raise ApiError(21612)  # alphanumeric sender IDs are not supported in the US and Canada


def _validity(text: str, service: Service | None) -> int:
    if not text:
        return service.validity_period if service else MAX_VALIDITY
    if not text.isdigit() or not 1 <= int(text) <= MAX_VALIDITY:
        raise ApiError(21624)
    return int(text)


def _new_message(simulation: Simulation, account: Account, request: SendRequest, status: str) -> Message:
    prefix = "MM" if request.media_urls else "SM"
    return Message(
        sid=simulation.store.new_sid(prefix),
        account_sid=account.sid,
        to=request.to,
        from_=None,
        body=request.body,
        direction=request.direction,
        status=status,
        media_urls=request.media_urls,
        status_callback=request.status_callback,
    )


def _accept(simulation: Simulation, account: Account, request: SendRequest, service: Service, validity: int) -> Message:
    message = _new_message(simulation, account, request, "accepted")
    message.messaging_service_sid = service.sid
    message.status_callback = request.status_callback or service.status_callback
    message.validity_period = validity
    message.set_status("accepted")
    simulation.store.add_message(message)
    simulation.submit_accepted(message, service)
    return message


def _queue(
    simulation: Simulation,
    account: Account,
    request: SendRequest,
    sender: Sender,
    service: Service | None,
    validity: int,
) -> Message:
    message = _new_message(simulation, account, request, "queued")
    message.from_ = sender.address
    smart = request.smart_encoded or bool(service and service.smart_encoding)
    message.num_segments, message.encoding = segment_count(request.body, smart)
    if request.media_urls:
        message.num_segments = 1
    message.validity_period = validity
    if service is not None:
        message.messaging_service_sid = service.sid
        message.status_callback = request.status_callback or service.status_callback
    if not simulation.lane_for(sender).can_accept(message):
        raise ApiError(21611)
    message.set_status("queued")
    simulation.store.add_message(message)
    simulation.submit_queued(message, sender)
    return message
