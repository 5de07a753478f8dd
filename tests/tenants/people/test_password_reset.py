"""Password reset on a tenant host, end to end through the emailed link."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tenants.models import AuditEvent
from tests.tenants.people.helpers import NEW_PASSWORD, PASSWORD, link_in, path_of

pytestmark = pytest.mark.django_db


def test_reset_end_to_end(client_a, acme_owner, tenant_a):
    # given
    uid = urlsafe_base64_encode(force_bytes(acme_owner.pk))
    # when: ask for the link
    asked = client_a.post("/password-reset/", {"email": "OWNER@acme.test"})
    # then: one email with a link on acme's host
    assert (asked.status_code, asked["Location"]) == (302, "/password-reset/sent/")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["owner@acme.test"]
    assert message.subject == "Reset your Acme Appointments password"
    link = link_in(message.body)
    assert re.fullmatch(rf"http://acme\.localhost/password-reset/{uid}/[\w-]+/", link)
    # when: open the link and set a new password
    opened = client_a.get(path_of(link))
    set_password_path = opened["Location"]
    form_page = client_a.get(set_password_path)
    saved = client_a.post(set_password_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    # then
    assert (opened.status_code, set_password_path) == (302, f"/password-reset/{uid}/set-password/")
    assert form_page.context["validlink"] is True
    assert (saved.status_code, saved["Location"]) == (302, "/password-reset/done/")
    assert b'data-testid="reset-complete"' in client_a.get("/password-reset/done/").content
    acme_owner.refresh_from_db()
    assert acme_owner.check_password(NEW_PASSWORD)
    assert not acme_owner.check_password(PASSWORD)
    assert list(
        AuditEvent.objects.filter(tenant=tenant_a, action="user.password_reset").values_list("target", flat=True)
    ) == ["owner@acme.test"]
    # and the new password signs in, while the link is spent
    signed_in = client_a.post("/login/", {"username": "owner@acme.test", "password": NEW_PASSWORD})
    assert (signed_in.status_code, signed_in["Location"]) == (302, "/")
    client_a.logout()
    assert client_a.get(path_of(link)).context["validlink"] is False


@pytest.mark.parametrize("email", ["nobody@example.test", "owner@globex.test"])
def test_unknown_or_foreign_addresses_get_the_same_answer_and_no_email(client_a, globex_member, email):
    globex_member("owner")
    response = client_a.post("/password-reset/", {"email": email}, follow=True)
    assert response.redirect_chain == [("/password-reset/sent/", 302)]
    assert b'data-testid="reset-sent"' in response.content
    assert mail.outbox == []


def test_a_link_for_a_member_of_another_tenant_is_invalid_here(client_a, globex_member):
    # given a valid reset token of a globex owner, opened on acme's host
    person = globex_member("owner")
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    # when
    response = client_a.get(f"/password-reset/{uid}/{token}/")
    # then
    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert b'data-testid="reset-invalid"' in response.content


def test_the_reset_pages_render_for_anonymous_visitors(client_a):
    page = client_a.get("/password-reset/")
    assert page.status_code == 200
    assert b"Reset your password" in page.content
    assert client_a.get("/password-reset/sent/").status_code == 200
