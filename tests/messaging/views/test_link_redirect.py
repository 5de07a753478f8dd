"""The short-link redirect: a valid code answers 302 and records one click; a forged, unknown or other tenant's
code answers a plain 404 and records nothing; no input gives a server error."""

from __future__ import annotations

import pytest
from django.test import Client

from messaging.models import LinkClick
from messaging.services.links import links_prepare, links_routes_forget
from tests.factories import in_tenant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_routes():
    links_routes_forget()
    yield
    links_routes_forget()


def _prepared(tenant, url="https://acme.test/offer?x=1", owner_id=1):
    with in_tenant(tenant):
        return links_prepare(tenant=tenant, body=f"Go {url}", owner_kind="message", owner_id=owner_id)


def _path_of(body: str) -> str:
    return "/" + body.split("://", 1)[1].split("/", 1)[1]


def _clicks(tenant) -> list[tuple]:
    with in_tenant(tenant):
        return list(LinkClick.objects.values_list("recipient_ref", "variant", "user_agent"))


def test_a_short_link_on_the_platform_host_redirects_and_records_the_click(tenant_a, tenant_b):
    prepared = _prepared(tenant_a)
    path = _path_of(prepared.render(41, "A"))
    assert path.startswith("/l/acme/")
    response = Client(HTTP_HOST="localhost").get(path, HTTP_USER_AGENT="Phone/1")
    assert (response.status_code, response["Location"]) == (302, "https://acme.test/offer?x=1")
    assert (response["Cache-Control"], response["Referrer-Policy"]) == ("no-store", "no-referrer")
    assert "sessionid" not in response.cookies
    assert _clicks(tenant_a) == [(41, "A", "Phone/1")]
    assert _clicks(tenant_b) == []


def test_each_click_is_recorded(tenant_a):
    path = _path_of(_prepared(tenant_a).render(5))
    for _ in range(3):
        assert Client(HTTP_HOST="localhost").get(path).status_code == 302
    assert _clicks(tenant_a) == [(5, "", "")] * 3


def test_a_short_link_on_the_tenant_s_link_domain_redirects(tenant_a):
    tenant_a.link_domain = "go.acme.localhost"
    tenant_a.save(update_fields=["link_domain"])
    body = _prepared(tenant_a).render(9)
    assert body.startswith("Go http://go.acme.localhost/l/")
    response = Client(HTTP_HOST="go.acme.localhost").get(_path_of(body))
    assert (response.status_code, response["Location"]) == (302, "https://acme.test/offer?x=1")
    assert _clicks(tenant_a) == [(9, "", "")]


def test_a_url_with_letters_beyond_ascii_is_sent_encoded(tenant_a):
    path = _path_of(_prepared(tenant_a, url="https://acme.test/menü?q=ü").render(5))
    response = Client(HTTP_HOST="localhost").get(path)
    assert (response.status_code, response["Location"]) == (302, "https://acme.test/men%C3%BC?q=%C3%BC")


def test_head_is_answered_too_but_is_no_click(tenant_a):
    path = _path_of(_prepared(tenant_a).render(5))
    response = Client(HTTP_HOST="localhost").head(path)
    assert (response.status_code, response["Location"]) == (302, "https://acme.test/offer?x=1")
    assert _clicks(tenant_a) == []


def _forged(code: str) -> str:
    return code[:-1] + ("a" if code[-1] != "a" else "b")


@pytest.mark.parametrize(
    "make_path",
    [
        pytest.param(lambda code: f"/l/acme/{_forged(code)}", id="forged MAC"),
        pytest.param(lambda code: f"/l/acme/{'0' * 19}", id="placeholder"),
        pytest.param(lambda code: f"/l/acme/{code[:-2]}", id="cut short"),
        pytest.param(lambda code: f"/l/globex/{code}", id="another tenant's prefix"),
        pytest.param(lambda code: f"/l/nobody/{code}", id="unknown tenant"),
        pytest.param(lambda code: f"/l/{code}", id="platform host without a prefix"),
        pytest.param(lambda code: "/l/acme/%00%ff", id="bytes"),
        pytest.param(lambda code: "/l/acme/" + "z" * 5000, id="very long"),
        pytest.param(lambda code: "/l/", id="empty"),
        pytest.param(lambda code: "/l/acme/", id="prefix only"),
        pytest.param(lambda code: "/l/ACME/" + code, id="prefix in capitals"),
    ],
)
def test_anything_but_a_valid_code_is_a_plain_404_that_records_nothing(tenant_a, tenant_b, make_path):
    code = _path_of(_prepared(tenant_a).render(5)).rsplit("/", 1)[1]
    response = Client(HTTP_HOST="localhost").get(make_path(code))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/")
    assert _clicks(tenant_a) == [] and _clicks(tenant_b) == []


def test_another_tenant_s_code_on_this_tenant_s_link_domain_is_refused(tenant_a, tenant_b):
    tenant_a.link_domain = "go.acme.localhost"
    tenant_a.save(update_fields=["link_domain"])
    tenant_b.link_domain = "go.globex.localhost"
    tenant_b.save(update_fields=["link_domain"])
    globex_body = _prepared(tenant_b, url="https://globex.test/x").render(5)
    code = globex_body.rsplit("/", 1)[1]
    assert Client(HTTP_HOST="go.globex.localhost").get(f"/l/{code}").status_code == 302
    assert Client(HTTP_HOST="go.acme.localhost").get(f"/l/{code}").status_code == 404
    assert Client(HTTP_HOST="acme.localhost").get(f"/l/{code}").status_code == 404
    assert Client(HTTP_HOST="localhost").get(f"/l/acme/{code}").status_code == 404
    assert _clicks(tenant_a) == []
    assert _clicks(tenant_b) == [(5, "", "")]


def test_a_valid_code_of_a_link_that_is_gone_is_a_404(tenant_a):
    prepared = _prepared(tenant_a)
    with in_tenant(tenant_a):
        from messaging.models import TrackedLink

        TrackedLink.objects.all().delete()
    response = Client(HTTP_HOST="localhost").get(_path_of(prepared.render(5)))
    assert response.status_code == 404
    assert _clicks(tenant_a) == []


def test_a_write_method_is_refused_and_records_nothing(tenant_a):
    path = _path_of(_prepared(tenant_a).render(5))
    assert Client(HTTP_HOST="localhost").post(path).status_code == 405
    assert _clicks(tenant_a) == []
