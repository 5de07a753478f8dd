import json

from messaging.domain.recommend import recommend
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
