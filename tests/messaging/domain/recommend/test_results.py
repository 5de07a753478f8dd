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
    assert option["lead_time"]["status"] == "fits"
    assert option["fees"] == {
        "recurring": True,
        "recurring_text": "Registration and campaign fees (different for Starter and Standard brands)",
        "carrier": True,
        "carrier_text": "Yes",
        "recurring_usd": None,
        "carrier_usd": None,
    }
    assert option["warnings"][0]["code"] == "tendlc_trust_score"
