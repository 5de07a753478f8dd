"""Twilio's JSON shapes for the resources the sandbox serves, and its dates.

API 2010-04-01 uses RFC 2822 dates and relative `uri`s; the v1 and v2 domains use ISO 8601 dates and absolute
`url`s. Counts on a Message are strings, `error_code` an integer or null (reference/twilio.md §1.2).
"""

from __future__ import annotations

import time
from email.utils import formatdate
from typing import Any

from sandbox import numbers
from sandbox.state import Account, Message, Sender, Service

API_VERSION = "2010-04-01"
_rfc2822_cache: dict[int, str] = {}


def rfc2822(epoch: float | None) -> str | None:
    """`Thu, 24 Aug 2023 05:01:45 +0000`; memoised per second because every response carries dates."""
    if epoch is None:
        return None
    second = int(epoch)
    text = _rfc2822_cache.get(second)
    if text is None:
        if len(_rfc2822_cache) > 4096:
            _rfc2822_cache.clear()
        text = _rfc2822_cache[second] = formatdate(second, usegmt=False).replace("-0000", "+0000")
    return text


def iso8601(epoch: float) -> str:
    """`2026-11-22T13:48:00Z`, as the v1 domains write dates."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def account_json(account: Account) -> dict[str, Any]:
    """An Account resource."""
    uri = f"/{API_VERSION}/Accounts/{account.sid}"
    return {
        "auth_token": account.auth_token,
        "date_created": rfc2822(account.date_created),
        "date_updated": rfc2822(account.date_updated),
        "friendly_name": account.friendly_name,
        "owner_account_sid": account.owner_account_sid,
        "sid": account.sid,
        "status": account.status,
        "subresource_uris": {
            "messages": f"{uri}/Messages.json",
            "incoming_phone_numbers": f"{uri}/IncomingPhoneNumbers.json",
        },
        "type": "Full",
        "uri": f"{uri}.json",
    }


def message_json(message: Message) -> dict[str, Any]:
    """A Message resource."""
    uri = f"/{API_VERSION}/Accounts/{message.account_sid}/Messages/{message.sid}"
    return {
        "account_sid": message.account_sid,
        "api_version": API_VERSION,
        "body": message.body,
        "date_created": rfc2822(message.date_created),
        "date_sent": rfc2822(message.date_sent),
        "date_updated": rfc2822(message.date_updated),
        "direction": message.direction,
        "error_code": message.error_code,
        "error_message": message.error_message,
        "from": message.from_,
        "messaging_service_sid": message.messaging_service_sid,
        "num_media": str(len(message.media_urls)),
        "num_segments": str(message.num_segments),
        "price": message.price,
        "price_unit": "USD",
        "sid": message.sid,
        "status": message.status,
        "subresource_uris": {"media": f"{uri}/Media.json", "feedback": f"{uri}/Feedback.json"},
        "to": message.to,
        "uri": f"{uri}.json",
    }


def phone_number_json(sender: Sender) -> dict[str, Any]:
    """An IncomingPhoneNumber resource."""
    uri = f"/{API_VERSION}/Accounts/{sender.account_sid}/IncomingPhoneNumbers/{sender.sid}"
    return {
        "account_sid": sender.account_sid,
        "address_requirements": "none",
        "api_version": API_VERSION,
        "beta": False,
        "capabilities": {"voice": True, "sms": True, "mms": True, "fax": False},
        "date_created": rfc2822(sender.date_created),
        "date_updated": rfc2822(sender.date_updated),
        "friendly_name": sender.friendly_name,
        "origin": "twilio",
        "phone_number": sender.address,
        "sid": sender.sid,
        "sms_application_sid": "",
        "sms_fallback_method": "POST",
        "sms_fallback_url": "",
        "sms_method": sender.sms_method,
        "sms_url": sender.sms_url,
        "status": "in-use",
        "status_callback": "",
        "status_callback_method": "POST",
        "type": "tollfree" if sender.kind == "toll_free" else "local",
        "uri": f"{uri}.json",
        "voice_method": "POST",
        "voice_url": "",
    }


def service_json(service: Service, base_url: str) -> dict[str, Any]:
    """A Messaging v1 Service resource."""
    url = f"{base_url}/v1/Services/{service.sid}"
    return {
        "account_sid": service.account_sid,
        "area_code_geomatch": True,
        "date_created": iso8601(service.date_created),
        "date_updated": iso8601(service.date_updated),
        "fallback_method": "POST",
        "fallback_to_long_code": True,
        "fallback_url": None,
        "friendly_name": service.friendly_name,
        "inbound_method": service.inbound_method,
        "inbound_request_url": service.inbound_request_url or None,
        "links": {name: f"{url}/{path}" for name, path in _SERVICE_LINKS.items()},
        "mms_converter": True,
        "scan_message_content": "inherit",
        "sid": service.sid,
        "smart_encoding": service.smart_encoding,
        "status_callback": service.status_callback or None,
        "sticky_sender": service.sticky_sender,
        "synchronous_validation": False,
        "url": url,
        "us_app_to_person_registered": False,
        "use_inbound_webhook_on_number": service.use_inbound_webhook_on_number,
        "usecase": "undeclared",
        "validity_period": service.validity_period,
    }


_SERVICE_LINKS = {"phone_numbers": "PhoneNumbers", "short_codes": "ShortCodes", "alpha_senders": "AlphaSenders"}


def service_number_json(service: Service, sender: Sender, base_url: str) -> dict[str, Any]:
    """A Messaging v1 Service PhoneNumber resource (the number's membership in the pool)."""
    return {
        "account_sid": service.account_sid,
        "capabilities": ["SMS", "MMS", "Voice"],
        "country_code": numbers.country_of(sender.address),
        "date_created": iso8601(sender.date_updated),
        "date_updated": iso8601(sender.date_updated),
        "phone_number": sender.address,
        "service_sid": service.sid,
        "sid": sender.sid,
        "url": f"{base_url}/v1/Services/{service.sid}/PhoneNumbers/{sender.sid}",
    }


def lookup_json(number: str, fields: set[str], line_types: dict[str, str], base_url: str) -> dict[str, Any]:
    """A Lookup v2 PhoneNumber resource; `line_type_intelligence` only when that field was asked for."""
    errors = numbers.validation_errors(number)
    valid = not errors
    result: dict[str, Any] = {
        "calling_country_code": numbers.calling_code_of(number) or None,
        "country_code": (numbers.country_of(number) or None) if valid else None,
        "phone_number": number,
        "national_format": numbers.national_format(number) if valid else None,
        "valid": valid,
        "validation_errors": errors,
        "url": f"{base_url}/v2/PhoneNumbers/{number}",
    }
    for name in _LOOKUP_PACKAGES:
        result[name] = None
    if valid and "line_type_intelligence" in fields:
        result["line_type_intelligence"] = _line_type_intelligence(number, line_types)
    return result


_LOOKUP_PACKAGES = (
    "caller_name",
    "sim_swap",
    "call_forwarding",
    "line_status",
    "line_type_intelligence",
    "identity_match",
    "reassigned_number",
    "sms_pumping_risk",
    "phone_number_quality_score",
    "pre_fill",
)


def _line_type_intelligence(number: str, line_types: dict[str, str]) -> dict[str, Any]:
    kind = numbers.line_type(number, line_types)
    carrier = kind in {"mobile", "landline", "fixedVoip", "nonFixedVoip"}
    return {
        "carrier_name": f"Sandbox {kind} carrier" if carrier else None,
        "error_code": None,
        "mobile_country_code": "310" if kind == "mobile" else None,
        "mobile_network_code": "260" if kind == "mobile" else None,
        "type": kind,
    }
