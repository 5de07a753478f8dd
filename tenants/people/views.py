"""Tenant UI pages about people: team, invitations, two-factor, the sign-in code step and password reset."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST

from config.forms import add_service_error
from tenants.audit import client_ip
from tenants.decorators import permission_required
from tenants.errors import TenantsError
from tenants.models import Tenant
from tenants.people import selectors, services, signin, throttle, totp
from tenants.people.errors import InvitationInvalid
from tenants.people.forms import (
    CodeForm,
    InvitationCreateForm,
    InvitationNewAccountForm,
    InvitationSignInForm,
    RoleChangeForm,
    TenantPasswordResetForm,
    role_choices,
)
from tenants.roles import role_allows

PASSWORD_ALIAS = {"password": "password1"}  # forms that ask for a new password twice


# --- team -------------------------------------------------------------------------------------------


@permission_required("team.manage")
def team(request):
    may_manage_owners = role_allows(request.membership.role, "owners.manage")
    form = InvitationCreateForm(request.POST or None, include_owner=may_manage_owners)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _ = services.invitation_create(
                tenant=request.tenant,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                ip_address=client_ip(request),
            )
        except TenantsError as exc:
            add_service_error(form, exc, PASSWORD_ALIAS)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("ui:team")
    context = {
        "form": form,
        "members": selectors.memberships_of(request.tenant),
        "invitations": selectors.invitations_pending(request.tenant),
        "may_manage_owners": may_manage_owners,
        "role_choices": role_choices(include_owner=may_manage_owners),
        "invitation_valid_hours": services.INVITATION_VALID_HOURS,
    }
    return render(request, "tenants/people/team.html", context)


@require_POST
@permission_required("team.manage")
def member_role_change(request, membership_id: int):
    membership = selectors.membership_in(tenant=request.tenant, membership_id=membership_id)
    if membership is None:
        raise Http404("No such member.")
    form = RoleChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role.")
        return redirect("ui:team")
    try:
        changed = services.membership_role_change(
            membership=membership, role=form.cleaned_data["role"], actor=request.user, ip_address=client_ip(request)
        )
    except TenantsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{changed.user.email} is now {changed.get_role_display().lower()}.")
    return redirect("ui:team")


@require_POST
@permission_required("team.manage")
def member_remove(request, membership_id: int):
    membership = selectors.membership_in(tenant=request.tenant, membership_id=membership_id)
    if membership is None:
        raise Http404("No such member.")
    try:
        services.membership_remove(membership=membership, actor=request.user, ip_address=client_ip(request))
    except TenantsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{membership.user.email} was removed from {request.tenant.name}.")
    return redirect("ui:team")


@require_POST
@permission_required("team.manage")
def invitation_revoke(request, invitation_id: int):
    invitation = selectors.invitation_in(tenant=request.tenant, invitation_id=invitation_id)
    if invitation is None:
        raise Http404("No such invitation.")
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user, ip_address=client_ip(request))
    except TenantsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The invitation of {invitation.email} was revoked.")
    return redirect("ui:team")


# --- accepting an invitation (public) ---------------------------------------------------------------


def invitation_accept(request, token: str):
    invitation = selectors.invitation_by_token(token=token, tenant=request.tenant)
    try:
        services.invitation_ensure_usable(invitation)
    except InvitationInvalid as exc:
        return render(request, "tenants/people/invitation_invalid.html", {"message": exc.message}, status=exc.status)
    account = selectors.user_by_email(invitation.email)
    form_class = InvitationNewAccountForm if account is None else InvitationSignInForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if account is None:
                user = _accept_with_new_account(request, token=token, form=form)
            else:
                user = _accept_with_password(request, token=token, email=account.email, form=form)
        except TenantsError as exc:
            add_service_error(form, exc, PASSWORD_ALIAS)
        except signin.SigninThrottled as exc:
            form.add_error(None, exc.lockout.message)
        else:
            if user is not None:
                messages.success(request, f"Welcome to {request.tenant.name}.")
                if signin.signin_begin(request, user=user, next_url=reverse("ui:dashboard")):
                    return redirect("ui:dashboard")
                return redirect("ui:login_code")
    context = {"invitation": invitation, "form": form, "existing_account": account is not None}
    return render(request, "tenants/people/invitation_accept.html", context)


def _accept_with_new_account(request, *, token: str, form):
    membership = services.invitation_accept(
        token=token,
        tenant=request.tenant,
        full_name=form.cleaned_data["full_name"],
        password=form.cleaned_data["password1"],
        ip_address=client_ip(request),
    )
    return membership.user


def _accept_with_password(request, *, token: str, email: str, form):
    user = signin.password_check(request=request, email=email, password=form.cleaned_data["password"])
    if user is None:
        form.add_error("password", "That password is not right.")
        return None
    services.invitation_accept(token=token, tenant=request.tenant, user=user, ip_address=client_ip(request))
    return user


# --- the code step of signing in (public) -----------------------------------------------------------


def login_code(request):
    pending = signin.signin_pending(request)
    if pending is None:
        signin.signin_pending_clear(request)
        return redirect("ui:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signin.signin_code_submit(request, pending=pending, code=form.cleaned_data["code"])
        except signin.SigninThrottled as exc:
            messages.error(request, exc.lockout.message)
            return redirect("ui:login")
        except signin.CodeRejected as exc:
            form.add_error("code", str(exc))
        else:
            return redirect(pending.next_url)
    return render(request, "tenants/people/login_code.html", {"form": form, "email": pending.user.email})


# --- two-factor settings ----------------------------------------------------------------------------


CODE_ACTIONS = {
    "confirm": (totp.totp_enable, "Two-factor sign-in is on. You will be asked for a code each time you sign in."),
    "disable": (totp.totp_disable, "Two-factor sign-in is off."),
}


@permission_required("dashboard.view")
def two_factor(request):
    return two_factor_page(request, tenant=request.tenant, template_name="tenants/people/two_factor.html")


def two_factor_page(request, *, tenant: Tenant | None, template_name: str, context: dict | None = None):
    """The signed-in user's own two-factor page, on a tenant host or (for staff) the platform host: start or cancel
    the set-up, confirm it or turn it off with a code; each action comes back to the same page."""
    user = request.user
    action = request.POST.get("action", "")
    form = CodeForm(request.POST if action in CODE_ACTIONS else None)
    if action == "start":
        try:
            totp.totp_setup_start(user=user)
        except TenantsError as exc:
            messages.error(request, exc.message)
        return redirect(request.path)
    if action == "cancel":
        totp.totp_setup_cancel(user=user)
        return redirect(request.path)
    if action in CODE_ACTIONS and form.is_valid():
        service, success = CODE_ACTIONS[action]
        try:
            service(user=user, code=form.cleaned_data["code"], tenant=tenant, ip_address=client_ip(request))
        except TenantsError as exc:
            add_service_error(form, exc, PASSWORD_ALIAS)
        else:
            messages.success(request, success)
            return redirect(request.path)
    secret = totp.totp_pending_secret(user)
    context = {
        **(context or {}),
        "form": form,
        "enabled": user.has_two_factor,
        "enabled_at": user.totp_enabled_at,
        "secret": secret,
        "required": totp.totp_required(user),  # staff cannot turn it off then
    }
    if secret:
        context["qr_svg"] = totp.qr_svg(totp.provisioning_uri(user=user, secret=secret))
    return render(request, template_name, context)


# --- password reset (public) ------------------------------------------------------------------------


class TenantPasswordResetView(auth_views.PasswordResetView):
    template_name = "tenants/people/password_reset_form.html"
    email_template_name = "tenants/people/email/password_reset.txt"
    subject_template_name = "tenants/people/email/password_reset_subject.txt"
    form_class = TenantPasswordResetForm
    success_url = reverse_lazy("ui:password_reset_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "tenant": self.request.tenant}

    def form_valid(self, form):
        protocol, domain = services.tenant_origin(self.request.tenant)
        self.extra_email_context = {"tenant": self.request.tenant, "protocol": protocol, "domain": domain}
        return super().form_valid(form)


class TenantPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "tenants/people/password_reset_done.html"


class TenantPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "tenants/people/password_reset_confirm.html"
    success_url = reverse_lazy("ui:password_reset_complete")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if user is not None and not selectors.may_reset_password(user=user, tenant=self.request.tenant):
            return None
        return user

    def form_valid(self, form):
        response = super().form_valid(form)
        ip = client_ip(self.request)
        services.password_reset_record(user=form.user, tenant=self.request.tenant, ip_address=ip)
        throttle.signin_success_record(email=form.user.email, ip=ip)
        return response


class TenantPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "tenants/people/password_reset_complete.html"
