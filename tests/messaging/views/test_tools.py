"""The throughput calculator page of the tenant UI: a GET form, figures computed on the server."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

URL = "/tools/throughput/"


def _figure(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">(.*?)</', html, re.S)
    assert match, f"no {testid} in the page"
    return " ".join(match.group(1).split())


@pytest.fixture
def operator_client(client_a, acme_member):
    client_a.force_login(acme_member("operator"))
    return client_a


def test_the_empty_form_shows_the_defaults_and_no_result(operator_client):
    response = operator_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="throughput-form"' in html
    assert 'name="queue_horizon_seconds" value="36000"' in html
    assert 'name="api_latency_ms" value="200"' in html
    assert 'name="margin_percent" value="20"' in html
    assert 'data-testid="throughput-result"' not in html


def test_the_guide_example_at_4_hours_renders_its_figures(operator_client):
    # given the guide's toll-free number: 750,000 one-segment texts at 3 MPS, 4 h queue
    query = {
        "recipients": "750000",
        "segments_per_message": "1",
        "total_mps": "3",
        "queue_horizon_seconds": "14400",
        "api_latency_ms": "200",
        "margin_percent": "20",
    }
    # when
    response = operator_client.get(URL, query)
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert _figure(html, "verdict") == "Overflows by 706,800 segments"
    assert _figure(html, "total-segments") == "750,000"
    assert _figure(html, "seconds-to-drain") == "250,000 s (69 h 26 min 40 s)"
    assert _figure(html, "window") == "14,400 s (4 h), set by the queue horizon"
    assert _figure(html, "queue-capacity") == "43,200 segments"
    assert _figure(html, "overflow") == "706,800 segments (235,600 s beyond the window)"
    assert _figure(html, "minimum-mps") == "53"
    assert _figure(html, "recommended-mps") == "63"
    assert _figure(html, "api-current") == "3 requests/s, 1 in flight"
    assert _figure(html, "api-recommended") == "63 requests/s, 13 in flight"
    assert "750,000 segments at 3 MPS take 250,000 s (69 h 26 min 40 s) to send." in html
    # the submitted values stay in the form
    assert 'name="recipients" value="750000"' in html


def test_a_send_that_fits_the_10_hour_queue(operator_client):
    query = {
        "recipients": "750000",
        "segments_per_message": "2",
        "total_mps": "100",
        "queue_horizon_seconds": "36000",
        "validity_period_seconds": "",
        "api_latency_ms": "200",
        "margin_percent": "20",
    }
    html = operator_client.get(URL, query).content.decode()
    assert _figure(html, "verdict") == "Fits within the 10 h window"
    assert _figure(html, "seconds-to-drain") == "15,000 s (4 h 10 min)"
    assert _figure(html, "overflow") == "0 segments"
    # 1,500,000 × 1.2 / 36,000 = 50 MPS; 100 MPS of 2-segment messages = 50 requests/s × 0.2 s = 10
    assert _figure(html, "recommended-mps") == "50"
    assert _figure(html, "api-current") == "50 requests/s, 10 in flight"
    assert _figure(html, "api-recommended") == "25 requests/s, 5 in flight"


def test_a_validity_period_shorter_than_the_queue_sets_the_window(operator_client):
    query = {
        "recipients": "750000",
        "segments_per_message": "1",
        "total_mps": "100.50",
        "queue_horizon_seconds": "36000",
        "validity_period_seconds": "3600",
        "api_latency_ms": "200",
        "margin_percent": "20",
    }
    html = operator_client.get(URL, query).content.decode()
    # 100.5 MPS × 3,600 s = 361,800 segments delivered; 750,000 − 361,800 expire
    assert _figure(html, "window") == "3,600 s (1 h), set by the validity period"
    assert _figure(html, "overflow") == "388,200 segments (3,863 s beyond the window)"
    assert _figure(html, "api-current") == "100.50 requests/s, 21 in flight"
    assert "(error 30036)" in html


def test_out_of_range_input_is_shown_on_its_field_and_nothing_is_computed(operator_client):
    query = {
        "recipients": "1000",
        "segments_per_message": "1",
        "total_mps": "0",
        "queue_horizon_seconds": "36000",
        "api_latency_ms": "200",
        "margin_percent": "20",
    }
    response = operator_client.get(URL, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert _figure(html, "error-total_mps") == "must be more than 0 and at most 100,000"
    assert 'data-testid="throughput-result"' not in html


def test_malformed_input_is_shown_on_its_field(operator_client):
    query = {"recipients": "lots", "segments_per_message": "1", "total_mps": "3"}
    html = operator_client.get(URL, query).content.decode()
    assert _figure(html, "error-recipients") == "Enter a whole number."
    assert _figure(html, "error-queue_horizon_seconds") == "This field is required."
    assert 'data-testid="throughput-result"' not in html


def test_every_member_role_reaches_the_page_and_the_nav_links_it(client_a, acme_member):
    client_a.force_login(acme_member("analyst"))
    html = client_a.get("/tools/segments/").content.decode()
    assert f'<a href="{URL}"' in html


def test_anonymous_visitors_are_sent_to_login(client_a):
    response = client_a.get(URL, {"recipients": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
