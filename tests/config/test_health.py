import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["localhost", "acme.localhost", "127.0.0.1", "unknown.localhost"])
def test_healthz_answers_on_every_host(client, host):
    response = client.get("/healthz", HTTP_HOST=host)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_when_database_and_redis_are_up(public_client):
    response = public_client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


@pytest.mark.django_db
def test_readyz_is_503_when_redis_is_down(public_client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there
    response = public_client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "ok", "redis": "down"}}


@pytest.mark.django_db
def test_readyz_answers_a_probe_by_address(client):
    response = client.get("/readyz", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


def test_healthz_needs_no_database(client):
    # no django_db mark: any database access would fail this test
    response = client.get("/healthz", HTTP_HOST="127.0.0.1")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
