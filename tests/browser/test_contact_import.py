"""A contact import in a real browser: upload, the guessed mapping corrected, the result with its rejected rows and
the contacts on their list; and the progress page following a running import until it ends."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from messaging.models import Contact, ContactList, ImportJob
from messaging.services.contacts.imports import import_run, import_upload
from tenants.models import Membership, Tenant, User
from tenants.services.memberships import membership_grant
from tests.browser.conftest import tenant_url
from tests.factories import in_tenant

pytestmark = [pytest.mark.browser]

FILE = (
    "Mobile,Full name,Plan,Notes\n"
    "(415) 555-0100,Ann Lee,gold,likes mornings\n"
    "not a number,Bo,silver,\n"
    "+14155550101,Cy,,\n"
    "415-555-0100,,platinum,\n"
)


def _sign_in(page, live_server) -> None:
    user = User.objects.create_user("operator@acme.test", "switchboard-pass")
    membership_grant(tenant=Tenant.objects.get(slug="acme"), user=user, role=Membership.Role.OPERATOR)
    page.goto(tenant_url(live_server, "acme", "/login/"))
    page.fill("#id_username", "operator@acme.test")
    page.fill("#id_password", "switchboard-pass")
    page.click("button[type=submit]")
    page.wait_for_selector("h1:text('Dashboard')")


def test_an_operator_imports_a_csv_and_follows_an_import_to_its_end(
    committed_tenants, live_server, browser_page, tmp_path
):
    acme = Tenant.objects.get(slug="acme")
    with in_tenant(acme):
        ContactList.objects.create(name="Spring")
    page = browser_page
    _sign_in(page, live_server)
    # when the operator uploads a file
    page.click("[data-testid=nav-contacts]")
    page.click("[data-testid=nav-import]")
    upload = tmp_path / "spring.csv"
    upload.write_text(FILE)
    page.set_input_files("#id_file", str(upload))
    page.click("[data-testid=upload]")
    # then the mapping page shows the header and first rows, with a guess to correct
    page.wait_for_selector("[data-testid=mapping-form]")
    assert page.input_value("#id_target_0") == "phone"
    assert page.input_value("#id_target_1") == "name"
    assert (page.input_value("#id_target_2"), page.input_value("#id_key_2")) == ("attribute", "plan")
    assert "likes mornings" in page.inner_text("[data-testid=mapping]")
    page.select_option("#id_target_3", "ignore")
    page.select_option("#id_contact_list", label="Spring")
    page.fill("#id_tags", "Spring sale")
    page.click("[data-testid=start-import]")
    # then the result: two new contacts, one row merged into one of them, one rejected with its row and reason
    page.wait_for_selector("[data-testid=result]")
    assert page.inner_text("[data-testid=import-status]") == "Completed"
    counts = [page.inner_text(f"[data-testid=count-{name}]") for name in ("total", "imported", "updated", "rejected")]
    assert counts == ["4", "2", "1", "1"]
    assert page.inner_text("[data-testid=rejection-3]").split("\t")[:2] == [
        "3",
        "Mobile: 'not a number' is not a phone number",
    ]
    with page.expect_download() as download:
        page.click("[data-testid=rejects-download]")
    rejects = download.value.path().read_text(encoding="utf-8-sig")
    assert rejects.splitlines()[1] == "not a number,Bo,silver,,3,Mobile,Mobile: 'not a number' is not a phone number"
    page.click("[data-testid=see-contacts]")
    page.wait_for_selector("[data-testid=contacts]")
    assert page.inner_text("[data-testid=contacts-count]") == "2 contacts found."
    assert "spring-sale" in page.inner_text("[data-testid='contact-+14155550100']")
    with in_tenant(acme):
        ann = Contact.objects.get(phone_number="+14155550100")
        assert (ann.name, ann.attributes) == ("Ann Lee", {"plan": "platinum"})

    # given an import a worker has not picked up yet
    with in_tenant(acme):
        job = import_upload(upload=SimpleUploadedFile("later.csv", b"phone\n+14155550102\n+14155550103\n"))
        ImportJob.objects.filter(pk=job.pk).update(status="pending")
    # when its page is open and the worker runs it
    page.goto(tenant_url(live_server, "acme", f"/contacts/imports/{job.pk}/"))
    assert page.inner_text("[data-testid=percent]") == "0%"
    with in_tenant(acme):
        import_run(job_id=job.pk)
    # then the page notices by itself and shows the result
    page.wait_for_selector("[data-testid=result]")
    assert page.inner_text("[data-testid=count-imported]") == "2"
