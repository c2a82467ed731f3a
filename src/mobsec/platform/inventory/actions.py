"""Business rules of the inventory: record a scanned version's inventory, keep each app's
newest version marked, and answer the affected-scope query with evidence per app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from mobsec.platform.core.errors import UserError
from mobsec.platform.scans import queries

from .models import LibraryRow, VersionInventory
from .versions import sort_key

KINDS = ("sdk", "api", "library", "host")
MAX_VALUE = 300
PAGE = 50


def record_scan(sender: Any = None, scan: Any = None, **_: Any) -> VersionInventory | None:
    """Store the inventory of a finished scan's version (scan_stored listener)."""
    if scan is None or scan.version_id is None or scan.report_id is None:
        return None
    doc = scan.report.document
    return record(scan.version, doc.get("inventory"), doc.get("tool", {}).get("version", ""))


def record(
    version: Any, inventory: dict[str, Any] | None, engine: str = ""
) -> VersionInventory | None:
    if not isinstance(inventory, dict):
        return None  # formats without an inventory (iOS, HarmonyOS, mini-programs)
    with transaction.atomic():
        inv, created = VersionInventory.objects.get_or_create(
            version=version,
            defaults={
                "app_id": version.app_id,
                "organisation_id": version.app.organisation_id,
                "engine_version": engine[:40],
                "document": inventory,
                "terms": terms_of(inventory),
            },
        )
        if created:
            LibraryRow.objects.bulk_create(library_rows(inv, inventory), batch_size=1000)
        mark_latest(version.app_id)
    return inv


def library_rows(inv: VersionInventory, inventory: dict[str, Any]) -> list[LibraryRow]:
    rows, seen = [], set()
    for lib in inventory.get("libraries") or []:
        key = str(lib.get("id") or "")[:255]
        version = str(lib.get("version") or "")[:64]
        if not key or (key, version) in seen:
            continue
        seen.add((key, version))
        rows.append(
            LibraryRow(
                inventory=inv,
                latest=inv.latest,
                key=key,
                version=version,
                version_sort=sort_key(version) if version else "",
                source=str(lib.get("version_source") or "")[:255],
            )
        )
    return rows


def terms_of(inventory: dict[str, Any]) -> list[str]:
    """The searchable terms: APIs, hosts (and their parent domains), native names, hashes."""
    terms: set[str] = set()
    for cls, methods in (inventory.get("apis") or {}).items():
        terms.update(f"api:{cls}.{m}" for m in methods)
    for h in inventory.get("hosts") or []:
        labels = str(h.get("host", "")).lower().split(".")
        for i in range(len(labels) - 1):  # a.b.example.com matches b.example.com, example.com
            terms.add("host:" + ".".join(labels[i:]))
    for lib in inventory.get("native_libraries") or []:
        terms.add(f"native:{lib.get('name')}")
        terms.add(f"sha256:{lib.get('sha256')}")
    return sorted(terms)


def mark_latest(app_id: int) -> None:
    """The app's newest version (by upload time) is its latest; the others are not."""
    newest = (
        VersionInventory.objects.filter(app_id=app_id)
        .order_by("-version__uploaded_at", "-id")
        .values_list("id", flat=True)
        .first()
    )
    stale = VersionInventory.objects.filter(app_id=app_id, latest=True).exclude(id=newest)
    LibraryRow.objects.filter(inventory__in=stale).update(latest=False)
    stale.update(latest=False)
    fresh = VersionInventory.objects.filter(id=newest, latest=False)
    LibraryRow.objects.filter(inventory__in=fresh).update(latest=True)
    fresh.update(latest=True)


@dataclass(frozen=True)
class Query:
    kind: str  # sdk | api | library | host
    value: str
    below: str = ""  # sdk: versions lower than this
    scope: str = "latest"  # latest | any
    include_unknown: bool = False  # sdk with a bound: also versions the package does not say

    @classmethod
    def from_params(cls, params: Any) -> Query:
        kind = (params.get("kind") or "").strip()
        value = (params.get("value") or "").strip()
        if kind not in KINDS:
            raise UserError(
                "inventory.bad_kind",
                f"kind must be one of {', '.join(KINDS)}",
                f"kind 必须是 {', '.join(KINDS)} 之一",
                status=400,
            )
        if not value or len(value) > MAX_VALUE or "\x00" in value:
            raise UserError(
                "inventory.bad_value",
                f"value: 1 to {MAX_VALUE} characters",
                f"value 须为 1 到 {MAX_VALUE} 个字符",
                status=400,
            )
        scope = params.get("scope") or "latest"
        if scope not in ("latest", "any"):
            raise UserError(
                "inventory.bad_scope",
                "scope: latest or any",
                "scope 须为 latest 或 any",
                status=400,
            )
        below = (params.get("below") or "").strip()[:64]
        unknown = params.get("include_unknown") in ("1", "true", "on")
        return cls(kind, value, below, scope, unknown)


def affected(user: Any, q: Query) -> QuerySet[VersionInventory]:
    """The app versions within ``user``'s reach that match ``q`` (newest upload first)."""
    qs = VersionInventory.objects.filter(app__in=queries.visible_apps(user))
    if q.scope == "latest":
        qs = qs.filter(latest=True)
    if q.kind == "sdk":
        rows = LibraryRow.objects.filter(key=q.value)
        if q.scope == "latest":
            rows = rows.filter(latest=True)
        if q.below:
            bound = rows.filter(version_sort__lt=sort_key(q.below)).exclude(version="")
            rows = bound | rows.filter(version="") if q.include_unknown else bound
        return qs.filter(id__in=rows.values("inventory_id")).order_by("-id")
    prefix = {"api": "api:", "library": "native:", "host": "host:"}[q.kind]
    value = q.value.lower() if q.kind == "host" else q.value
    if q.kind == "library" and len(value) == 64 and all(c in "0123456789abcdef" for c in value):
        prefix = "sha256:"
    return _with_term(qs, prefix + value).order_by("-id")


def _with_term(qs: QuerySet[VersionInventory], term: str) -> QuerySet[VersionInventory]:
    from django.db import connection

    if connection.vendor == "postgresql":
        return qs.filter(terms__contains=[term])  # jsonb @> with the GIN index
    return qs.extra(  # SQLite (development): json_each, no index
        where=[
            "EXISTS (SELECT 1 FROM json_each(inventory_versioninventory.terms) WHERE value = %s)"
        ],
        params=[term],
    )


def evidence(inv: VersionInventory, q: Query) -> list[str]:
    """What in the stored inventory makes this version match (shown per app)."""
    doc = inv.document
    out: list[str] = []
    if q.kind == "sdk":
        for lib in doc.get("libraries") or []:
            if lib.get("id") == q.value:
                v = lib.get("version") or "?"
                src = f" ({lib['version_source']})" if lib.get("version_source") else ""
                out.append(f"{lib.get('name') or q.value} {v}{src}")
    elif q.kind == "api":
        cls, _, method = q.value.rpartition(".")
        if method in (doc.get("apis") or {}).get(cls, []):
            out.append(f"calls {q.value}")
    elif q.kind == "library":
        for lib in doc.get("native_libraries") or []:
            if q.value in (lib.get("name"), lib.get("sha256")):
                out.append(f"{lib.get('path')} sha256={lib.get('sha256')}")
    else:
        want = q.value.lower()
        for h in doc.get("hosts") or []:
            host = str(h.get("host", ""))
            if host == want or host.endswith("." + want):
                out.append(f"{host}: {', '.join(h.get('urls') or [])[:300]}")
    return out[:10]


def result_rows(user: Any, q: Query, page: int = 1) -> dict[str, Any]:
    qs = affected(user, q)
    count = qs.count()
    page = max(1, min(page, 1 + count // PAGE))
    items = qs.select_related("app", "version", "organisation")[(page - 1) * PAGE : page * PAGE]
    return {
        "count": count,
        "page": page,
        "pages": max(1, -(-count // PAGE)),
        "results": [
            {
                "app": inv.app.public_id,
                "package_name": inv.app.package_name,
                "label": inv.app.label,
                "organisation": inv.organisation.name,
                "version": inv.version.public_id,
                "version_name": inv.version.version_name,
                "version_code": inv.version.version_code,
                "latest": inv.latest,
                "evidence": evidence(inv, q),
            }
            for inv in items
        ],
    }
