from messaging.domain.recommend import UseCase, recommend
from tests.messaging.domain.recommend.helpers import request


def test_global_warnings_for_long_messages_and_time_sensitivity():
    result = recommend(
        request(use_case=UseCase.TRANSACTIONAL, countries=("GB",), segments_per_message=2, time_sensitive=False)
    )
    assert [w.code for w in result.warnings] == ["multi_segment_messages"]
    assert result.needed_mps == 8
    assert result.peak_text == "2,000 messages in 10 min of 2 segments each"
    assert result.notes == ()


def test_promotional_10dlc_warns_about_lower_marketing_tiers():
    us = recommend(request(use_case=UseCase.PROMOTIONAL, countries=("US",))).country("US")
    tendlc = next(o for o in us.options if o.sender_type == "a2p_10dlc")
    assert "Marketing and mixed campaigns get lower throughput." in tendlc.warnings[0].text
