"""The tenants app's pages on tenant hosts (namespace `ui`, included by `config/urls.py`): signing in, people, the
tenant's settings, API keys, audit log and support mode."""

from django.urls import path

from tenants.people import views as people
from tenants.views import api_keys, audit, settings, signin, support

urlpatterns = [
    path("login/", signin.TenantLoginView.as_view(), name="login"),
    path("logout/", signin.logout_view, name="logout"),
    path("login/code/", people.login_code, name="login_code"),
    path("password-reset/", people.TenantPasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", people.TenantPasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        people.TenantPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password-reset/done/", people.TenantPasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("invitation/<str:token>/", people.invitation_accept, name="invitation_accept"),
    path("team/", people.team, name="team"),
    path("team/members/<int:membership_id>/role/", people.member_role_change, name="team_member_role"),
    path("team/members/<int:membership_id>/remove/", people.member_remove, name="team_member_remove"),
    path("team/invitations/<int:invitation_id>/revoke/", people.invitation_revoke, name="team_invitation_revoke"),
    path("account/two-factor/", people.two_factor, name="two_factor"),
    path("support/enter/<str:token>/", support.support_enter, name="support_enter"),
    path("support/exit/", signin.logout_view, name="support_exit"),  # the support banner's button
    path("settings/", settings.tenant_settings, name="settings"),
    path("api-keys/", api_keys.api_keys, name="api_keys"),
    path("api-keys/<int:key_id>/revoke/", api_keys.api_key_revoke, name="api_key_revoke"),
    path("audit/", audit.audit_log, name="audit"),
]
