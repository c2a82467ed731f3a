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
