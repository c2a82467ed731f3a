"""Log in (throttled), log out, API tokens of the signed-in user."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import audit, throttle
from .auth import new_token
from .models import ApiToken


class ThrottledAuthenticationForm(auth_views.AuthenticationForm):
    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = audit.client_ip(self.request)
        if throttle.locked(username, ip):
            raise ValidationError(
                _("Too many failed log-ins. Try again in 15 minutes."), code="throttled"
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.failed(username, ip)
            raise
        throttle.succeeded(username)
        return cleaned


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, required=False)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    new_key = None
    if request.method == "POST":
        if "revoke" in request.POST:
            n = ApiToken.objects.filter(
                user=request.user, public_id=request.POST["revoke"], revoked=False
            ).update(revoked=True)
            if n:
                audit.record(
                    "token_revoked",
                    actor=request.user,
                    request=request,
                    target=request.POST["revoke"],
                )
                messages.info(request, _("Token revoked."))
            return redirect("accounts:tokens")
        form = TokenForm(request.POST)
        if form.is_valid():
            token, new_key = new_token(request.user, form.cleaned_data["name"])
            audit.record(
                "token_created", actor=request.user, request=request, target=token.public_id
            )
    rows = ApiToken.objects.filter(user=request.user, revoked=False).order_by("-created_at")
    return render(request, "accounts/tokens.html", {"tokens": rows, "new_key": new_key})


@login_required
@require_http_methods(["GET", "POST"])
def members(request):
    """Organisation administrators: the members of their organisations and their roles
    (every change goes to the audit log), and the organisation's recent audit events."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from mobsec.platform.core.errors import UserError

    from . import access, actions, roles
    from .models import AuditEvent, Membership, User

    orgs = list(access.organisations(request.user, roles.MANAGE))
    if not orgs:
        raise Http404
    if request.method == "POST":
        org = next((o for o in orgs if o.public_id == request.POST.get("organisation")), None)
        user = User.objects.filter(username=request.POST.get("username", "")[:150]).first()
        if org is None:
            raise PermissionDenied
        try:
            if user is None:
                raise UserError("accounts.no_user", "No such user.", "没有该用户。")
            actions.set_role(request.user, user, org, request.POST.get("role", ""), request)
        except UserError as e:
            messages.error(request, e.message)
        return redirect("accounts:members")
    rows = Membership.objects.filter(organisation__in=orgs).select_related("user", "organisation")
    events = AuditEvent.objects.filter(organisation__in=orgs).select_related("actor")[:100]
    return render(
        request,
        "accounts/members.html",
        {
            "orgs": orgs,
            "members": rows.order_by("organisation__name", "user__username"),
            "roles": [(r.id, str(r.label)) for r in roles.ROLES.values()],
            "events": events,
        },
    )
