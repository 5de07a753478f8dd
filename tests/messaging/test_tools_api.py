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
        ("{" * 80, False, "GSM-7", 1, 80),
        ("{" * 81, False, "GSM-7", 2, 81),
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
