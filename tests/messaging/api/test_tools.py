"""The calculators on the API and behind the compose boxes."""

import pytest

pytestmark = pytest.mark.django_db


def post(client, key, url, payload):
    return client.post(url, payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.mark.parametrize(
    ("body", "smart", "encoding", "segments", "characters"),
    [
        ("Your code is 123456", False, "GSM-7", 1, 19),
        ("x" * 161, False, "GSM-7", 2, 161),
        ("Hi 😀", False, "UCS-2", 1, 4),
        ("“Hello”—world…", False, "UCS-2", 1, 14),
        ("“Hello”—world…", True, "GSM-7", 1, 16),
        # an extension character counts 2 against the 160, as Twilio's calculator reports it (was 80 and 81)
        ("{" * 80, False, "GSM-7", 1, 160),
        ("{" * 81, False, "GSM-7", 2, 162),
    ],
)
def test_segments_endpoint(client_a, api_key_a, body, smart, encoding, segments, characters):
    response = post(client_a, api_key_a, "/api/v1/tools/segments", {"body": body, "smart_encoding": smart})
    assert response.status_code == 200
    data = response.json()
    assert (data["encoding"], data["segments"], data["characters"]) == (encoding, segments, characters)


def test_segments_names_the_characters_forcing_ucs2_and_their_replacements(client_a, api_key_a):
    data = post(client_a, api_key_a, "/api/v1/tools/segments", {"body": "It’s 5€ 😀"}).json()
    assert data["forcing_ucs2"] == [{"character": "’", "replacement": "'"}, {"character": "😀", "replacement": None}]
    assert data["body_sent"] == "It’s 5€ 😀"


def test_segments_requires_body(client_a, api_key_a):
    response = post(client_a, api_key_a, "/api/v1/tools/segments", {"smart_encoding": True})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "body", "message": "This field is required."}]


def test_segments_refuses_an_empty_body_naming_it(client_a, api_key_a):
    response = post(client_a, api_key_a, "/api/v1/tools/segments", {"body": "", "smart_encoding": False})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    message = "must not be empty: Twilio refuses a message without a body (error 21602)"
    assert response.json()["errors"] == [{"field": "body", "message": message}]
    assert "segments" not in response.json()


def test_compose_preview_answers_zero_segments_for_an_empty_box(client_a, acme_member):
    # a person still typing gets a count, not an error; sending is what refuses an empty body
    client_a.force_login(acme_member("analyst"))
    response = client_a.post("/tools/segments.json", {"body": ""}, content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["segments"], response.json()["characters"], response.json()["encoding"]) == (0, 0, "GSM-7")


def test_compose_preview_for_signed_in_members(client_a, acme_member):
    client_a.force_login(acme_member("analyst"))
    response = client_a.post("/tools/segments.json", {"body": "ça va"}, content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["encoding"], response.json()["segments"]) == ("UCS-2", 1)


def test_compose_preview_rejects_non_json(client_a, acme_member):
    client_a.force_login(acme_member("analyst"))
    response = client_a.post("/tools/segments.json", "nope", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "the request body must be JSON"}


@pytest.mark.parametrize(
    ("payload", "detail"),
    [
        ("[]", "non_field_errors: No data provided"),
        ("5", "non_field_errors: No data provided"),
        ('{"smart_encoding": true}', "body: This field is required."),
        ('{"body": "x", "smart_encoding": "perhaps"}', "smart_encoding: Must be a valid boolean."),
    ],
)
def test_compose_preview_names_what_is_wrong(client_a, acme_member, payload, detail):
    client_a.force_login(acme_member("analyst"))
    response = client_a.post("/tools/segments.json", payload, content_type="application/json")
    assert (response.status_code, response.json()) == (400, {"detail": detail})


THROUGHPUT_URL = "/api/v1/tools/throughput"


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        # The deliverability guide at its 4 h horizon: 750,000 / 3 MPS = 250,000 s; 706,800 in overflow.
        pytest.param(
            {"recipients": 750_000, "segments_per_message": 1, "total_mps": 3, "queue_horizon_seconds": 14_400},
            (250_000, True, 706_800, 53, 63),
            id="guide-3mps",
        ),
        # "750,000 / 100 MPS = 7,500 seconds required (no queue overflow)"
        pytest.param(
            {"recipients": 750_000, "segments_per_message": 1, "total_mps": "100", "queue_horizon_seconds": 14_400},
            (7_500, False, 0, 53, 63),
            id="guide-100mps",
        ),
        # 2 segments at 100 MPS: 15,000 s, 600 s beyond the 14,400 s queue = 60,000 segments
        pytest.param(
            {"recipients": 750_000, "segments_per_message": 2, "total_mps": 100, "queue_horizon_seconds": 14_400},
            (15_000, True, 60_000, 105, 125),
            id="guide-2-segments",
        ),
        # Today's 10 h queue (the default): 3 MPS × 36,000 s = 108,000 held
        pytest.param(
            {"recipients": 750_000, "segments_per_message": 1, "total_mps": 3},
            (250_000, True, 642_000, 21, 25),
            id="default-10h",
        ),
    ],
)
def test_throughput_endpoint(client_a, api_key_a, payload, expected):
    response = post(client_a, api_key_a, THROUGHPUT_URL, payload)
    assert response.status_code == 200
    data = response.json()
    assert (
        data["seconds_to_drain"],
        data["overflows"],
        data["overflow_segments"],
        data["minimum_mps"],
        data["recommended_mps"],
    ) == expected


def test_throughput_endpoint_returns_every_figure_and_the_defaults_it_used(client_a, api_key_a):
    payload = {"recipients": 750_000, "segments_per_message": 1, "total_mps": 3, "queue_horizon_seconds": 14_400}
    data = post(client_a, api_key_a, THROUGHPUT_URL, payload).json()
    notes = data.pop("notes")
    assert data == {
        "input": {
            "recipients": 750_000,
            "segments_per_message": 1,
            "total_mps": "3.00",
            "queue_horizon_seconds": 14_400,
            "validity_period_seconds": None,
            "api_latency_ms": 200,
            "margin_percent": 20,
        },
        "total_segments": 750_000,
        "seconds_to_drain": 250_000,
        "drain_time": "69 h 26 min 40 s",
        "window_seconds": 14_400,
        "window_limited_by": "queue",
        "queue_capacity_segments": 43_200,
        "overflows": True,
        "overflow_segments": 706_800,
        "seconds_beyond_window": 235_600,
        "minimum_mps": 53,
        "recommended_mps": 63,
        "api_requests_per_second": "3.00",
        "api_concurrency": 1,
        "recommended_api_requests_per_second": "63.00",
        "recommended_api_concurrency": 13,
    }
    assert notes[0] == "750,000 segments at 3 MPS take 250,000 s (69 h 26 min 40 s) to send."


def test_throughput_endpoint_validity_period_shortens_the_window(client_a, api_key_a):
    payload = {
        "recipients": 750_000,
        "segments_per_message": 1,
        "total_mps": "100.00",
        "validity_period_seconds": 3_600,
        "api_latency_ms": 500,
        "margin_percent": 0,
    }
    data = post(client_a, api_key_a, THROUGHPUT_URL, payload).json()
    assert (data["window_seconds"], data["window_limited_by"]) == (3_600, "validity")
    assert (data["queue_capacity_segments"], data["overflow_segments"]) == (360_000, 390_000)
    # 750,000 / 3,600 = 208.33 -> 209 MPS, no margin; 209 req/s × 0.5 s = 104.5 -> 105 in flight
    assert (data["recommended_mps"], data["recommended_api_concurrency"]) == (209, 105)
    assert (data["api_requests_per_second"], data["api_concurrency"]) == ("100.00", 50)


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        pytest.param({"recipients": -1}, "recipients", "must be between 0 and 1,000,000,000", id="negative-recipients"),
        pytest.param({"segments_per_message": 0}, "segments_per_message", "must be between 1 and 100", id="segments"),
        pytest.param({"total_mps": 0}, "total_mps", "must be more than 0 and at most 100,000", id="zero-mps"),
        pytest.param(
            {"queue_horizon_seconds": 36_001}, "queue_horizon_seconds", "must be between 1 and 36,000", id="horizon"
        ),
        pytest.param(
            {"validity_period_seconds": 0}, "validity_period_seconds", "must be between 1 and 36,000", id="validity"
        ),
        pytest.param({"api_latency_ms": 0}, "api_latency_ms", "must be between 1 and 60,000", id="latency"),
        pytest.param({"margin_percent": 101}, "margin_percent", "must be between 0 and 100", id="margin"),
    ],
)
def test_throughput_endpoint_refuses_out_of_range_input_naming_the_field(client_a, api_key_a, payload, field, message):
    base = {"recipients": 1_000, "segments_per_message": 1, "total_mps": 3}
    response = post(client_a, api_key_a, THROUGHPUT_URL, {**base, **payload})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["code"], body["detail"]) == (400, "validation_failed", f"{field}: {message}")
    assert body["errors"] == [{"field": field, "message": message}]


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        pytest.param(
            {"segments_per_message": 1, "total_mps": 3}, "recipients", "This field is required.", id="no-recipients"
        ),
        pytest.param(
            {"recipients": 10, "segments_per_message": 1, "total_mps": "fast"},
            "total_mps",
            'must be a whole number or a decimal string such as "4.50"',
            id="mps-not-a-number",
        ),
        pytest.param(
            {"recipients": 10, "segments_per_message": 1, "total_mps": 2.5},
            "total_mps",
            'must be a whole number or a decimal string such as "4.50"',
            id="mps-a-json-fraction",
        ),
        pytest.param(
            {"recipients": 10.0, "segments_per_message": 1, "total_mps": 3},
            "recipients",
            "A valid integer is required.",
            id="recipients-a-json-fraction",
        ),
        pytest.param(
            {"recipients": "many", "segments_per_message": 1, "total_mps": 3},
            "recipients",
            "A valid integer is required.",
            id="recipients-not-an-integer",
        ),
    ],
)
def test_throughput_endpoint_refuses_malformed_input_naming_the_field(client_a, api_key_a, payload, field, message):
    response = post(client_a, api_key_a, THROUGHPUT_URL, payload)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [{"field": field, "message": message}]


def test_throughput_endpoint_needs_an_api_key_of_this_tenant(client_a, api_key_b):
    payload = {"recipients": 10, "segments_per_message": 1, "total_mps": 3}
    assert client_a.post(THROUGHPUT_URL, payload, content_type="application/json").status_code == 401
    assert post(client_a, api_key_b, THROUGHPUT_URL, payload).status_code == 401
