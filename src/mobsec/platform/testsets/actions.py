"""Business rules of product evaluation: test sets, products and mapping tables, imported
results, mobsec's own results from the platform's reports, scores and the comparison."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files
from typing import Any

from django.db import IntegrityError, transaction

from mobsec.certification import imports, scoring
from mobsec.platform.accounts import access, audit, roles
from mobsec.platform.accounts.models import Organisation
from mobsec.platform.core.errors import UserError
from mobsec.platform.scans.models import Scan
from mobsec.platform.scans.options import ENGINE_VERSION

from .models import Product, ResultSet, TestSet

MOBSEC = "mobsec"


def _require(user, capability: str, organisation: Organisation) -> None:
    if not access.can(user, capability, organisation=organisation):
        raise UserError("forbidden", "You may not do this.", "您无权执行此操作。", status=403)


def _read(upload, limit: int = imports.MAX_BYTES) -> tuple[bytes, str]:
    name = (getattr(upload, "name", "") or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable())[:200] or "upload"
    return upload.read(limit + 1), name


def _problem(e: imports.ImportProblem) -> UserError:
    return UserError("import.invalid", f"{e.file}: {e.en}", f"{e.file}:{e.zh}")


def visible_testsets(user):
    return TestSet.objects.filter(organisation__in=access.organisations(user, roles.VIEW))


def visible_products(user):
    return Product.objects.filter(organisation__in=access.organisations(user, roles.VIEW))


def add_testset(user, organisation: Organisation, upload, request=None) -> TestSet:
    _require(user, roles.TRIAGE, organisation)
    data, name = _read(upload)
    try:
        title, packages = imports.parse_test_set(data, name)
    except imports.ImportProblem as e:
        raise _problem(e) from None
    ts = TestSet.objects.create(
        organisation=organisation,
        name=title[:200],
        packages=[_package_json(p) for p in packages],
        source_sha256=hashlib.sha256(data).hexdigest(),
        created_by=user,
    )
    audit.record("testset.add", actor=user, organisation=organisation, target=ts.public_id,
                 request=request)  # fmt: skip
    return ts


def _package_json(p: scoring.SetPackage) -> dict[str, Any]:
    return {
        "name": p.name,
        "sha256": p.sha256,
        "app_id": p.app_id,
        "weaknesses": [{"class": e.weakness, "location": e.location} for e in p.expected],
    }


def set_packages(ts: TestSet) -> list[scoring.SetPackage]:
    return [
        scoring.SetPackage(
            p["name"],
            p.get("sha256") or "",
            p.get("app_id") or "",
            tuple(
                scoring.Expected(p["name"], w["class"], w.get("location"))
                for w in p.get("weaknesses") or []
            ),
        )
        for p in ts.packages
    ]


@cache
def mobsec_mapping() -> dict[str, tuple[str, ...]]:
    data = (
        files("mobsec.certification").joinpath("data").joinpath("mobsec_mapping.json").read_bytes()
    )
    return imports.parse_mapping(data, "mobsec_mapping.json")


def mobsec_product(organisation: Organisation) -> Product:
    """mobsec itself, scored the same way, with the shipped mapping table."""
    mapping = {k: list(v) for k, v in mobsec_mapping().items()}
    product, created = Product.objects.get_or_create(
        organisation=organisation,
        name=MOBSEC,
        defaults={"mapping": mapping, "builtin": True},
    )
    if not created and product.builtin and product.mapping != mapping:
        product.mapping = mapping  # follows the engine's mapping as it grows
        product.save(update_fields=["mapping", "updated_at"])
    return product


def save_product(user, organisation: Organisation, name: str, upload, request=None) -> Product:
    """Create a product, or replace its mapping table (JSON: rule id → class or classes)."""
    _require(user, roles.TRIAGE, organisation)
    name = (name or "").strip()[:200]
    if not name:
        raise UserError("product.name_required", "Name the product.", "请填写产品名称。")
    if name == MOBSEC:
        raise UserError(
            "product.reserved",
            "mobsec's own mapping is shipped with it.",
            "mobsec 自身的映射表随软件提供。",
        )
    data, fname = _read(upload)
    try:
        mapping = imports.parse_mapping(data, fname)
    except imports.ImportProblem as e:
        raise _problem(e) from None
    try:
        with transaction.atomic():
            product, _ = Product.objects.update_or_create(
                organisation=organisation,
                name=name,
                defaults={"mapping": {k: list(v) for k, v in mapping.items()}},
            )
    except IntegrityError:
        raise UserError("product.exists", "The product exists.", "该产品已存在。") from None
    audit.record("product.mapping", actor=user, organisation=organisation,
                 target=product.public_id, details={"rules": len(mapping)}, request=request)  # fmt: skip
    return product


def import_results(
    user, ts: TestSet, product: Product, version: str, upload, request=None
) -> ResultSet:
    """Another product's results for the test set: SARIF 2.1.0 or the JSON mapping form."""
    _require(user, roles.TRIAGE, ts.organisation)
    if product.organisation_id != ts.organisation_id or product.builtin:
        raise UserError("not_found", "No such product.", "没有该产品。", status=404)
    data, name = _read(upload)
    try:
        parsed = imports.parse_results(data, name)
    except imports.ImportProblem as e:
        raise _problem(e) from None
    version = (version or parsed.version or "").strip()[:100]
    if not version:
        raise UserError(
            "import.version_required",
            "Give the product's version (the file names none).",
            "请填写产品版本(文件中未注明)。",
        )
    rs = ResultSet.objects.create(
        testset=ts,
        product=product,
        product_version=version,
        file_name=name,
        file_format="sarif" if b'"runs"' in data[:1 << 20] else "json",
        results=[{"package": r.package, "rule": r.rule, "location": r.location}
                 for r in parsed.results],
        imported_by=user,
    )  # fmt: skip
    audit.record("results.import", actor=user, organisation=ts.organisation, target=rs.public_id,
                 details={"results": len(parsed.results)}, request=request)  # fmt: skip
    return rs


def score_mobsec(user, ts: TestSet, request=None) -> ResultSet:
    """mobsec's results on the test set, from the reports of the packages the organisation
    has scanned on the platform (matched by SHA-256); a package never scanned is missing
    from the results and its weaknesses count as missed."""
    _require(user, roles.TRIAGE, ts.organisation)
    wanted = {p["sha256"]: p["name"] for p in ts.packages if p.get("sha256")}
    results: list[dict[str, Any]] = []
    scanned: set[str] = set()
    scans = (
        Scan.objects.filter(
            organisation=ts.organisation,
            state=Scan.State.DONE,
            package__sha256__in=list(wanted),
            engine_version=ENGINE_VERSION,
        )
        .select_related("report", "package")
        .order_by("-finished_at")
    )
    for scan in scans:
        sha = scan.package.sha256
        if sha in scanned or scan.report is None:
            continue
        scanned.add(sha)
        for f in scan.report.document.get("findings") or []:
            loc = f.get("location") or {}
            results.append(
                {"package": sha, "rule": str(f.get("check_id") or ""),
                 "location": loc.get("class") or loc.get("file") or None}
            )  # fmt: skip
    rs = ResultSet.objects.create(
        testset=ts,
        product=mobsec_product(ts.organisation),
        product_version=ENGINE_VERSION,
        file_name=f"{len(scanned)}/{len(wanted)} packages scanned",
        file_format="platform",
        results=results,
        imported_by=user,
    )
    audit.record("results.mobsec", actor=user, organisation=ts.organisation,
                 target=rs.public_id, request=request)  # fmt: skip
    return rs


def _mapping(product: Product) -> dict[str, tuple[str, ...]]:
    return {k: tuple(v) for k, v in product.mapping.items()}


def score(rs: ResultSet) -> scoring.Score:
    results = [scoring.Result(r["package"], r["rule"], r.get("location")) for r in rs.results]
    return scoring.score(set_packages(rs.testset), results, _mapping(rs.product))


def comparison(ts: TestSet) -> dict[str, Any]:
    """Every product version scored on the test set: one row each, overall and per class."""
    rows = []
    classes: set[str] = set()
    for rs in ts.result_sets.select_related("product").order_by("product__name", "imported_at"):
        s = score(rs)
        per = {c.weakness: c for c in s.per_class}
        classes.update(per)
        rows.append(
            {"rs": rs, "overall": s.overall, "per_class": per, "fp": len(s.false_positives),
             "unmapped": len(s.unmapped), "outside": len(s.outside)}
        )  # fmt: skip
    order = sorted(classes)
    for row in rows:
        row["cells"] = [row["per_class"].get(c) for c in order]
    return {"rows": rows, "classes": order}
