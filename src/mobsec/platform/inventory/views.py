"""The affected-scope page: the query form and the affected app versions with evidence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from mobsec.platform.core.errors import UserError

from . import actions


@login_required
def affected(request):
    result, query = None, None
    if request.GET.get("kind"):
        try:
            query = actions.Query.from_params(request.GET)
            page = request.GET.get("page") or "1"
            result = actions.result_rows(request.user, query, int(page) if page.isdigit() else 1)
        except UserError as e:
            messages.error(request, e.message)
    return render(request, "inventory/affected.html", {
        "query": query, "result": result, "kinds": actions.KINDS, "params": request.GET,
    })  # fmt: skip
