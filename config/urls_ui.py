"""The tenant UI."""

from django.urls import path

from messaging import views as messaging_views
from messaging import views_senders, views_wizard
from tenants import views as tenant_views
from tenants import views_manage, views_support
from tenants.people import views as people_views

urlpatterns = [
    path("login/", tenant_views.TenantLoginView.as_view(), name="login"),
    path("logout/", tenant_views.logout_view, name="logout"),
    path("login/code/", people_views.login_code, name="login_code"),
    path("password-reset/", people_views.TenantPasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", people_views.TenantPasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        people_views.TenantPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/", people_views.TenantPasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("invitation/<str:token>/", people_views.invitation_accept, name="invitation_accept"),
    path("team/", people_views.team, name="team"),
    path("team/members/<int:membership_id>/role/", people_views.member_role_change, name="team_member_role"),
    path("team/members/<int:membership_id>/remove/", people_views.member_remove, name="team_member_remove"),
    path("team/invitations/<int:invitation_id>/revoke/", people_views.invitation_revoke, name="team_invitation_revoke"),
    path("account/two-factor/", people_views.two_factor, name="two_factor"),
    path("support/enter/<str:token>/", views_support.support_enter, name="support_enter"),
    path("support/exit/", views_support.support_exit, name="support_exit"),
    path("settings/", views_manage.tenant_settings, name="settings"),
    path("api-keys/", views_manage.api_keys, name="api_keys"),
    path("api-keys/<int:key_id>/revoke/", views_manage.api_key_revoke, name="api_key_revoke"),
    path("audit/", views_manage.audit_log, name="audit"),
    path("senders/", views_senders.sender_list, name="senders"),
    path("senders/add/", views_senders.sender_add, name="sender_add"),
    path("senders/<int:sender_id>/registration/", views_senders.sender_registration, name="sender_registration"),
    path("senders/pools/add/", views_senders.pool_add, name="pool_add"),
    path("senders/sync/", views_senders.senders_sync, name="senders_sync"),
    path("senders/buy/", views_senders.number_buy, name="number_buy"),
    path("senders/test/", views_senders.sender_test_send, name="sender_test_send"),
    path("senders/wizard/", views_wizard.sender_wizard, name="sender_wizard"),
    path("senders/plans/<int:plan_id>/", views_wizard.sender_plan, name="sender_plan"),
    path("senders/plans/<int:plan_id>/provision/", views_wizard.sender_plan_provision, name="sender_plan_provision"),
    path("tools/segments/", messaging_views.segments_tool, name="segments_tool"),
    path("tools/segments.json", messaging_views.segments_preview, name="segments_preview"),
    path("tools/throughput/", messaging_views.throughput_tool, name="throughput_tool"),
    path("", messaging_views.dashboard, name="dashboard"),
]
