"""The APIs keep their contracts: schemathesis fuzzes each OpenAPI document as the live test server serves it.

`st run` goes over every operation of the document with every check (see `schemathesis-*.toml` here for the
configurations and the one check left out): a 5xx, a status the document does not list, a request the document
allows refused with 400, or a response unlike its schema fails the test, and the output shows how to replay it.
Destructive operations act on objects made here for the purpose: the key to revoke and the tenant to suspend and
close are pinned in the configuration; a sender and a plan are there to be listed, read, moved and provisioned.
Tenants the fuzzer creates are dropped, schemas included, afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import TENANT_SPECS

pytestmark = pytest.mark.integration

HERE = Path(__file__).parent
# Where Hypothesis keeps what it computes once, such as the characters UTF-8 can encode (seconds of CPU each run
# otherwise); .data/ is the git-ignored folder of development data.
HYPOTHESIS_STORAGE = HERE.parents[1] / ".data" / "hypothesis"
SCHEMATHESIS = Path(sys.executable).with_name("st")
# A run takes seconds; this only stops a run that hangs from holding the suite.
TIMEOUT_SECONDS = 300


def run_schemathesis(config: str, document_url: str, env: dict[str, str], workdir: Path):
    """`st run` over the document with a configuration of this folder; its cache and reports stay in `workdir`."""
    command = [str(SCHEMATHESIS), "--config-file", str(HERE / config), "--no-color", "run", document_url]
    return subprocess.run(
        command,
        cwd=workdir,
        env={**os.environ, "HYPOTHESIS_STORAGE_DIRECTORY": str(HYPOTHESIS_STORAGE), **env},
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


def assert_kept(result: subprocess.CompletedProcess) -> None:
    __tracebackhide__ = True
    if result.returncode != 0:
        pytest.fail(f"schemathesis found contract failures:\n{result.stdout[-20_000:]}\n{result.stderr[-5_000:]}")


@pytest.fixture
def live_tenants(committed_tenants, live_server):
    """The session tenants, committed for the live server; tenants made during the test are dropped after it."""
    from tenants.models import Tenant

    yield live_server
    connection.set_schema_to_public()
    for tenant in Tenant.objects.exclude(slug__in=[*TENANT_SPECS, "public"]):
        tenant.delete(force_drop=True)


def _tenant_api_fixtures(tmp_path: Path) -> dict[str, str]:
    from messaging.services.plans import plan_save
    from messaging.services.senders import sender_register
    from tenants.models import Tenant, TenantLimits
    from tenants.services.api_keys import api_key_create
    from tests.factories import plan_answers

    acme, globex = Tenant.objects.get(slug="acme"), Tenant.objects.get(slug="globex")
    # No rate limit: every generated request is answered (the limit's 429 is tested on its own).
    TenantLimits.objects.filter(tenant__in=[acme, globex]).update(api_requests_per_minute=0)
    _, acme_key = api_key_create(tenant=acme, name="contract")
    _, globex_key = api_key_create(tenant=globex, name="contract")
    revokable, _ = api_key_create(tenant=acme, name="to revoke")
    connection.set_tenant(acme)
    sender_register(kind="a2p_10dlc", address="+14155550100", country="US", mps=4)
    plan_save(name="to provision", data={**plan_answers(), "countries": ["US"]}, created_by="contract")
    connection.set_schema_to_public()
    peers = {
        "auth": [
            {"name": name, "fixedHeaders": [{"name": "Authorization", "value": f"Bearer {key}"}]}
            for name, key in (("acme", acme_key), ("globex", globex_key))
        ]
    }
    peers_file = tmp_path / "peers.json"
    peers_file.write_text(json.dumps(peers))
    return {
        "CONTRACT_PEERS_FILE": str(peers_file),
        "CONTRACT_REVOKABLE_PREFIX": revokable.prefix,
    }


def test_the_tenant_api_keeps_the_contract_of_its_document(live_tenants, tmp_path):
    env = {"CONTRACT_BASE_URL": live_tenants.url, **_tenant_api_fixtures(tmp_path)}
    assert_kept(run_schemathesis("schemathesis-tenant-api.toml", f"{live_tenants.url}/api/v1/schema/", env, tmp_path))


def test_the_platform_api_keeps_the_contract_of_its_document(live_tenants, tmp_path):
    from tenants.services.api_keys import platform_key_create
    from tenants.services.lifecycle import tenant_create

    _, platform_key = platform_key_create(name="contract")
    target = tenant_create(name="Contract target", slug="contract-target")
    env = {
        "CONTRACT_BASE_URL": live_tenants.url,
        "CONTRACT_PLATFORM_KEY": platform_key,
        "CONTRACT_TARGET_SLUG": target.slug,
    }
    document = f"{live_tenants.url}/api/platform/schema/"
    assert_kept(run_schemathesis("schemathesis-platform-api.toml", document, env, tmp_path))
