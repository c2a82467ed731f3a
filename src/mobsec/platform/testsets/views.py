"""Pages of product evaluation: test sets, products with mapping tables, imported results,
scores and the comparison table."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mobsec.platform.accounts import access, roles
from mobsec.platform.core.errors import UserError

from . import actions
from .models import ResultSet


def _orgs(user):
    return list(access.organisations(user, roles.TRIAGE))


def _org_from_post(request):
    org = next(
        (o for o in _orgs(request.user) if o.public_id == request.POST.get("organisation")), None
    )
    if org is None:
        raise PermissionDenied
    return org


def _fail(request, e: UserError) -> int:
    if e.status == 403:
        raise PermissionDenied(e.message)
    if e.status == 404:
        raise Http404(e.message)
    messages.error(request, e.message)
    return 400


def _create_from_upload(request, create):
    """POST with an organisation and a file: ``create(org, file)``, or (None, 400) with the
    problem shown on the page."""
    org = _org_from_post(request)
    if "file" not in request.FILES:
        return None, _fail(request, UserError("import.no_file", "Choose a file.", "请选择文件。"))
    try:
        return create(org, request.FILES["file"]), 200
    except UserError as e:
        return None, _fail(request, e)


@login_required
@require_http_methods(["GET", "POST"])
def testset_list(request):
    status = 200
    if request.method == "POST":
        ts, status = _create_from_upload(
            request, lambda org, f: actions.add_testset(request.user, org, f, request=request)
        )
        if ts is not None:
            return redirect("testsets:testset", ts.public_id)
    return render(
        request,
        "testsets/testset_list.html",
        {"testsets": actions.visible_testsets(request.user), "orgs": _orgs(request.user)},
        status=status,
    )


def _testset(request, testset_id: str):
    return get_object_or_404(
        actions.visible_testsets(request.user).select_related("organisation"),
        public_id=testset_id,
    )


@login_required
def testset_detail(request, testset_id: str):
    ts = _testset(request, testset_id)
    products = actions.visible_products(request.user).filter(
        organisation=ts.organisation, builtin=False
    )
    return render(
        request,
        "testsets/testset.html",
        {
            "ts": ts,
            "table": actions.comparison(ts),
            "products": products,
            "can_change": access.can(request.user, roles.TRIAGE, organisation=ts.organisation),
            "expected": sum(len(p.get("weaknesses") or []) for p in ts.packages),
        },
    )


@login_required
@require_POST
def import_results(request, testset_id: str):
    ts = _testset(request, testset_id)
    product = get_object_or_404(
        actions.visible_products(request.user), public_id=request.POST.get("product", "")[:40]
    )
    if "file" not in request.FILES:
        _fail(request, UserError("import.no_file", "Choose a file.", "请选择文件。"))
        return redirect("testsets:testset", ts.public_id)
    try:
        rs = actions.import_results(
            request.user, ts, product, request.POST.get("version", ""), request.FILES["file"],
            request=request,
        )  # fmt: skip
    except UserError as e:
        _fail(request, e)
        return redirect("testsets:testset", ts.public_id)
    return redirect("testsets:result", rs.public_id)


@login_required
@require_POST
def score_mobsec(request, testset_id: str):
    ts = _testset(request, testset_id)
    try:
        rs = actions.score_mobsec(request.user, ts, request=request)
    except UserError as e:
        _fail(request, e)
        return redirect("testsets:testset", ts.public_id)
    return redirect("testsets:result", rs.public_id)


@login_required
def result_detail(request, result_id: str):
    rs = get_object_or_404(
        ResultSet.objects.filter(
            testset__organisation__in=access.organisations(request.user, roles.VIEW)
        ).select_related("testset", "product"),
        public_id=result_id,
    )
    return render(request, "testsets/result.html", {"rs": rs, "score": actions.score(rs)})


@login_required
@require_http_methods(["GET", "POST"])
def product_list(request):
    status = 200
    if request.method == "POST":
        name = request.POST.get("name", "")
        product, status = _create_from_upload(
            request,
            lambda org, f: actions.save_product(request.user, org, name, f, request=request),
        )
        if product is not None:
            return redirect("testsets:product", product.public_id)
    for org in _orgs(request.user):
        actions.mobsec_product(org)
    return render(
        request,
        "testsets/product_list.html",
        {"products": actions.visible_products(request.user).select_related("organisation"),
         "orgs": _orgs(request.user)},
        status=status,
    )  # fmt: skip


@login_required
def product_detail(request, product_id: str):
    product = get_object_or_404(actions.visible_products(request.user), public_id=product_id)
    rows = sorted(product.mapping.items())
    return render(
        request,
        "testsets/product.html",
        {"product": product, "rows": rows,
         "mapping_json": json.dumps(product.mapping, ensure_ascii=False, indent=1)},
    )  # fmt: skip
