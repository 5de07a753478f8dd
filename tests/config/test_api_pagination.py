"""Every list of the API pages the same way: newest first, `{next, previous, results}`, `page_size` 1 to 500."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tenants.models import ApiKey
from tenants.services.api_keys import api_key_create

pytestmark = pytest.mark.django_db

URL = "/api/v1/api-keys"


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def relative(link: str) -> str:
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


def test_pages_walk_the_list_newest_first_and_back(client_a, tenant_a, tenant_b, api_key_a):
    # given three more keys in acme and one in globex
    for name in ("first", "second", "third"):
        api_key_create(tenant=tenant_a, name=name)
    api_key_create(tenant=tenant_b, name="globex")
    # when
    first = client_a.get(URL, {"page_size": 2}, **bearer(api_key_a)).json()
    second = client_a.get(relative(first["next"]), **bearer(api_key_a)).json()
    back = client_a.get(relative(second["previous"]), **bearer(api_key_a)).json()
    # then
    assert [key["name"] for key in first["results"]] == ["third", "second"]
    assert first["previous"] is None
    assert [key["name"] for key in second["results"]] == ["first", "tests"]
    assert second["next"] is None
    assert [key["name"] for key in back["results"]] == ["third", "second"]


def test_fifty_to_a_page_unless_asked(client_a, tenant_a, api_key_a):
    ApiKey.objects.bulk_create(
        ApiKey(tenant=tenant_a, name=f"bulk {n}", prefix=f"bulk{n:04d}", key_hash=f"{n:064x}", scopes=["admin"])
        for n in range(1, 52)
    )
    page = client_a.get(URL, **bearer(api_key_a)).json()
    assert (len(page["results"]), page["next"] is not None) == (50, True)
    assert len(client_a.get(URL, {"page_size": 500}, **bearer(api_key_a)).json()["results"]) == 52


@pytest.mark.parametrize("page_size", ["0", "501", "ten", "-1", "2.5", ""])
def test_a_page_size_out_of_range_is_a_400_naming_it(client_a, api_key_a, page_size):
    response = client_a.get(URL, {"page_size": page_size}, **bearer(api_key_a))
    assert (response.status_code, response["Content-Type"]) == (400, "application/problem+json")
    assert response.json()["errors"] == [{"field": "page_size", "message": "must be between 1 and 500"}]


def test_a_cursor_that_cannot_be_read_is_a_404(client_a, api_key_a):
    cursor = "bz14"  # base64 of "o=x": an offset that is no number
    response = client_a.get(URL, {"cursor": cursor}, **bearer(api_key_a))
    assert (response.status_code, response["Content-Type"]) == (404, "application/problem+json")
    assert response.json()["detail"] == "Invalid cursor"
