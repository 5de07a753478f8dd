import json
from datetime import date
from decimal import Decimal

import pytest

from messaging.domain.catalogue import DEFAULT_CATALOGUE, Fees
from messaging.domain.recommend import recommend
from messaging.domain.recommend.fees import fee_lines
from tests.messaging.domain.recommend.helpers import request


def test_deterministic_and_json_ready():
    first, second = recommend(request()), recommend(request())
    assert first == second
    data = first.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["request"]["use_case"] == "otp"
    assert data["request"]["go_live"] == "2026-12-07"
    assert [c["country"] for c in data["countries"]] == ["US", "GB"]
    option = data["countries"][0]["options"][0]
    assert option["lead_time"]["status"] == "at_risk"  # 10–15 business days to vet a campaign, 10 before go-live
    # the fees Twilio lists, read on 2026-12-01 (Starter brands no longer exist)
    assert option["fees"] == {
        "recurring": True,
        "recurring_text": "Campaign fee of $1.50–$10 a month by use case; $2 a month for a Sole Proprietor campaign",
        "carrier": True,
        "carrier_text": "Carrier fees on every segment, passed on by Twilio",
        "recurring_usd": None,
        "carrier_usd": None,
        "one_time_text": "Brand registration $4, secondary vetting $40 (Standard brands), campaign vetting $15 for "
        "each campaign and each resubmission: $59 for a Standard brand with one campaign",
        "one_time_usd": "59.00",
        "read_on": "2026-12-01",
        "source": "https://support.twilio.com/hc/en-us/articles/11587910480155",
    }
    assert option["warnings"][0]["code"] == "tendlc_trust_score"


@pytest.mark.parametrize(
    ("fees", "lines"),
    [
        (
            DEFAULT_CATALOGUE.sender_type("short_code").fees,
            ("Recurring: Yes: country-specific pricing.", "Carrier fees: Yes."),
        ),
        (DEFAULT_CATALOGUE.sender_type("alphanumeric_unregistered").fees, ("Recurring: none.", "Carrier fees: none.")),
        (
            DEFAULT_CATALOGUE.sender_type("long_code").fees,
            ("Recurring: not known: ask Twilio.", "Carrier fees: not known: ask Twilio."),
        ),
        (
            Fees(True, "$1,000 a month.", True, "Per segment", recurring_usd=Decimal("1000.00"),
                 read_on=date(2027, 1, 4)),
            ("Recurring: $1,000 a month (USD 1000.00).", "Carrier fees: Per segment.",
             "Amounts as Twilio listed them on 2027-01-04."),
        ),
    ],
)  # fmt: skip
def test_fee_lines_always_name_carrier_fees(fees, lines):
    assert fee_lines(fees) == lines


def test_new_fields_are_json_ready():
    data = recommend(request()).to_dict()
    us = data["countries"][0]
    assert (data["ready_by_go_live"], data["window_seconds"], len(data["meanwhile"])) == (False, 36_000, 4)
    assert (us["ready_by_go_live"], us["fastest"], us["fastest_ready_on"]) == (False, "a2p_10dlc", "2026-12-14")
    option = us["options"][0]
    assert (option["suitable_for_peak"], option["unsuitable_reason"]) == (True, "")
    assert option["lead_time"]["ready_on"] == "2026-12-14"
    assert option["fee_lines"][2] == "Carrier fees: on every segment, passed on by Twilio."
