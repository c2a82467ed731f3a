"""Pages that belong to no single app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    try:
        return redirect(reverse("scans:dashboard"))
    except NoReverseMatch:  # before the scans pages exist
        return redirect("accounts:tokens")
