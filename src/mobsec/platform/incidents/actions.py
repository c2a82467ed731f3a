"""Business rules of incidents: pages, the API and the jobs call these (docs/incidents.md).

Every step writes the incident's timeline (``Event``: who, when, what) in the same
transaction. Other apps' rules are reused, never copied: the affected-scope query is the
inventory's (``inventory.actions``), pack verification is the engine's
(``mobsec.rules.signing`` via :mod:`.packs`), the re-scan runs in the job system
(:mod:`.fleet`), vendor notices are vulnerability cases (:mod:`.notices`), publication
passes the vulns guards (:mod:`.bulletins`).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from mobsec.platform.accounts import access as accounts_access
from mobsec.platform.accounts import audit
from mobsec.platform.accounts.models import Membership
from mobsec.platform.core.errors import UserError
from mobsec.platform.inventory import actions as inventory
from mobsec.platform.scans import queries
from mobsec.platform.vulns import access as vulns_access
from mobsec.platform.vulns import machine, rating
from mobsec.platform.vulns.actions import clean_cwe

from . import fleet, packs, roles
from .models import Event, Incident, IncidentPack, Rescan, ScopeSnapshot

MAX_TEXT = 20_000
MAX_LIST = 20
MAX_SNAPSHOT = 20_000  # app versions kept in one snapshot
CVE = re.compile(r"CVE-\d{4}-\d{4,7}")
CNVD = re.compile(r"CNVD-\d{4}-\d{4,6}")
URL = re.compile(r"https?://[^\s<>\"']{1,490}")


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def not_found() -> UserError:
    return UserError("not_found", "No such incident.", "没有该事件。", status=404)


def forbidden() -> UserError:
    return UserError("forbidden", "You may not do this.", "您无权执行此操作。", status=403)


# ------------------------------------------------------------------------------------ access


def can_run(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    everything = accounts_access.resolve(user).everything
    return roles.RUN in everything or accounts_access.is_platform_admin(user)


def can_read(user) -> bool:
    return can_run(user) or (
        getattr(user, "is_authenticated", False)
        and Membership.objects.filter(user=user, role__in=roles.READER_ROLES).exists()
    )


def can_download_packs(user) -> bool:
    """Testing organisations (anyone who may upload for one) get the released packs."""
    from mobsec.platform.accounts import roles as account_roles

    return can_read(user) or accounts_access.can(user, account_roles.UPLOAD)


def visible(user):
    return Incident.objects.all() if can_read(user) else Incident.objects.none()


def get(user, public_id: str) -> Incident:
    """The incident for a reader, or for a verifier assigned to one of its cases (who
    confirms them from the incident); 404 for everybody else."""
    public_id = str(public_id)[:40]
    incident = visible(user).filter(public_id=public_id).first()
    if incident is None and getattr(user, "is_authenticated", False):
        incident = Incident.objects.filter(
            public_id=public_id,
            cases__vulnerability__assignments__user=user,
            cases__vulnerability__assignments__active=True,
        ).first()
    if incident is None:
        raise not_found()
    return incident


def _runner(user) -> None:
    if not can_run(user):
        raise forbidden()


def record(incident: Incident, actor, action: str, now: datetime, **details: Any) -> Event:
    """Append to the timeline (and the platform's audit log)."""
    event = Event.objects.create(incident=incident, at=now, actor=actor, action=action,
                                 details=details)  # fmt: skip
    audit.record(f"incident.{action}", actor=actor, target=incident.public_id,
                 details={k: str(v)[:200] for k, v in details.items()})  # fmt: skip
    return event


# ---------------------------------------------------------------------------------- creation


def _text(data: dict, key: str, zh: str, limit: int, required: bool = True) -> str:
    value = data.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise UserError("incident.bad_field", f"{key} must be text.", f"{key}（{zh}）必须是文本。")
    value = value.strip()
    if "\x00" in value:
        raise UserError("incident.bad_field", f"{key} contains a NUL character.",
                        f"{key}（{zh}）含有 NUL 字符。")  # fmt: skip
    if required and not value:
        raise UserError("incident.required", f"{key} is required.", f"必须填写{zh}（{key}）。")
    if len(value) > limit:
        raise UserError("incident.too_long", f"{key}: at most {limit} characters.",
                        f"{zh}（{key}）最多 {limit} 个字符。")  # fmt: skip
    return value


def _list(data: dict, key: str, zh: str, pattern: re.Pattern, upper: bool = False) -> list[str]:
    raw = data.get(key) or []
    if isinstance(raw, str):
        raw = raw.replace(",", "\n").split()
    if not isinstance(raw, list) or len(raw) > MAX_LIST:
        raise UserError("incident.bad_list", f"{key}: a list of at most {MAX_LIST} items.",
                        f"{zh}（{key}）须为最多 {MAX_LIST} 项的列表。")  # fmt: skip
    out = []
    for item in raw:
        value = item.strip() if isinstance(item, str) else None
        if value and upper:
            value = value.upper()
        if not value or not pattern.fullmatch(value):
            shown = str(item)[:60]
            raise UserError("incident.bad_item", f"{key}: {shown!r} is not valid.",
                            f"{zh}（{key}）中的 {shown!r} 无效。")  # fmt: skip
        if value not in out:
            out.append(value)
    return out


def clean(data: Any) -> dict[str, Any]:
    """The incident's fields from a form or JSON body, validated (400 with the field named)."""
    if not hasattr(data, "get"):
        raise UserError("incident.bad_body", "The body must be a JSON object or a form.",
                        "请求体必须是 JSON 对象或表单。")  # fmt: skip
    out: dict[str, Any] = {
        "title_en": _text(data, "title_en", "英文标题", 300),
        "title_zh": _text(data, "title_zh", "中文标题", 300),
        "description_en": _text(data, "description_en", "英文描述", MAX_TEXT),
        "description_zh": _text(data, "description_zh", "中文描述", MAX_TEXT),
        "refs": _list(data, "refs", "参考链接", URL),
        "cve_ids": _list(data, "cve_ids", "CVE 编号", CVE, upper=True),
        "cnvd_ids": _list(data, "cnvd_ids", "CNVD 编号", CNVD, upper=True),
    }
    cvss31 = _text(data, "cvss31", "CVSS v3.1 向量", 200, required=False)
    if cvss31:
        r = rating.rate(cvss31, "")
        out["cvss31"], out["severity"] = r.cvss31_vector, r.severity
    out["cwe"] = clean_cwe(_text(data, "cwe", "CWE", 16, required=False))
    return out


def create(actor, data: Any, *, vulnerability: str = "", request=None,
           now: datetime | None = None) -> Incident:  # fmt: skip
    """An incident from an external advisory, or from a vulnerability case the actor
    coordinates (``vulnerability``: its public id). The case's embargoed text is not copied:
    the incident's own title and description are what regulators and the bulletin see."""
    _runner(actor)
    now = _now(now)
    fields = clean(data)
    vuln = None
    if vulnerability:
        vuln = vulns_access.visible(actor).filter(public_id=str(vulnerability)[:40]).first()
        if vuln is None or machine.COORDINATOR not in vulns_access.parts(actor, vuln):
            raise UserError("incident.no_case",
                            "No such vulnerability case among those you coordinate.",
                            "您协调的漏洞案件中没有该案件。", status=404)  # fmt: skip
        fields.setdefault("cwe", vuln.cwe)
        fields["cwe"] = fields["cwe"] or vuln.cwe
        if "cvss31" not in fields and vuln.cvss31_vector:
            fields["cvss31"], fields["severity"] = vuln.cvss31_vector, vuln.severity or "high"
    if "cvss31" not in fields:
        raise UserError("incident.cvss_required",
                        "cvss31: a CVSS v3.1 vector is required (it rates the vendors' cases).",
                        "必须填写 CVSS v3.1 向量（cvss31），用于评定厂商案件的等级。")  # fmt: skip
    with transaction.atomic():
        incident = Incident.objects.create(
            source=Incident.Source.VULNERABILITY if vuln else Incident.Source.ADVISORY,
            vulnerability=vuln, created_by=actor, created_at=now, **fields,
        )  # fmt: skip
        record(incident, actor, "created", now, source=incident.source,
               vulnerability=vuln.public_id if vuln else None,
               cve_ids=incident.cve_ids, cnvd_ids=incident.cnvd_ids)  # fmt: skip
    return incident


def timeline(incident: Incident):
    return incident.events.select_related("actor").order_by("at", "id")


# ------------------------------------------------------------------------- affected scope


def run_query(incident: Incident, actor, params: Any, now: datetime | None = None) -> ScopeSnapshot:
    """The inventory's affected-scope query, answered for the actor and kept as a snapshot
    with the evidence per app version."""
    _runner(actor)
    now = _now(now)
    if not hasattr(params, "get"):
        raise UserError("incident.bad_body", "The body must be a JSON object or a form.",
                        "请求体必须是 JSON 对象或表单。")  # fmt: skip
    q = inventory.Query.from_params({k: _param(params.get(k)) for k in
                                     ("kind", "value", "below", "scope", "include_unknown")})  # fmt: skip
    qs = inventory.affected(actor, q).select_related("app", "version", "organisation")
    rows = []
    for inv in qs[:MAX_SNAPSHOT]:
        rows.append({
            "app": inv.app.public_id, "package_name": inv.app.package_name,
            "label": inv.app.label, "organisation": inv.organisation.name,
            "version": inv.version.public_id, "version_name": inv.version.version_name,
            "latest": inv.latest, "evidence": inventory.evidence(inv, q),
        })  # fmt: skip
    query = {"kind": q.kind, "value": q.value, "below": q.below, "scope": q.scope,
             "include_unknown": q.include_unknown}  # fmt: skip
    with transaction.atomic():
        snap = ScopeSnapshot.objects.create(incident=incident, query=query, count=len(rows),
                                            results=rows, created_by=actor, created_at=now)  # fmt: skip
        record(incident, actor, "query", now, snapshot=snap.public_id, count=len(rows), **query)
    return snap


def _param(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else ""
    return value if isinstance(value, str) else ""


# -------------------------------------------------------------------------------- rule pack


def attach_pack(incident: Incident, actor, upload, now: datetime | None = None) -> IncidentPack:
    """Receive a signed rule pack (ZIP) for the incident; refused unless it verifies."""
    _runner(actor)
    now = _now(now)
    if upload is None:
        raise UserError("incident.no_file", "Attach the signed rule pack as a ZIP (file).",
                        "请以 ZIP 文件（file）上传已签名的规则包。")  # fmt: skip
    name = "".join(c for c in str(getattr(upload, "name", "") or "pack.zip") if c.isprintable())
    name = name.replace("\\", "/").rsplit("/", 1)[-1][:120] or "pack.zip"
    if (getattr(upload, "size", 0) or 0) > packs.MAX_ARCHIVE_BYTES:
        raise UserError("incident.bad_pack", f"{name}: larger than "
                        f"{packs.MAX_ARCHIVE_BYTES >> 20} MiB",
                        f"{name}：超过 {packs.MAX_ARCHIVE_BYTES >> 20} MiB")  # fmt: skip
    data = upload.read(packs.MAX_ARCHIVE_BYTES + 1)
    pack, key_id, sha = packs.receive(data, name)
    with transaction.atomic():
        row = IncidentPack.objects.create(
            incident=incident, pack_id=pack.id[:100], version=pack.version[:64],
            publisher=pack.publisher[:200], key_id=key_id, sha256=sha, size=len(data),
            rule_ids=[r.meta.id for r in pack.rules], uploaded_by=actor, uploaded_at=now,
        )  # fmt: skip
        record(incident, actor, "pack_attached", now, pack=row.public_id, pack_id=row.pack_id,
               version=row.version, key_id=key_id, sha256=sha, rules=len(row.rule_ids))  # fmt: skip
    return row


def _pack(incident: Incident, pack_id: str) -> IncidentPack:
    pack = incident.packs.filter(public_id=str(pack_id or "")[:40]).first()
    if pack is None:
        raise UserError("incident.no_pack", "No such rule pack on this incident.",
                        "该事件没有此规则包。", status=404)  # fmt: skip
    return pack


def publish_pack(incident: Incident, actor, pack_id: str,
                 now: datetime | None = None) -> IncidentPack:  # fmt: skip
    """Release the pack to the testing organisations (downloadable from then on)."""
    _runner(actor)
    now = _now(now)
    with transaction.atomic():
        pack = IncidentPack.objects.select_for_update().get(pk=_pack(incident, pack_id).pk)
        if pack.published_at is None:
            pack.published_at = now
            pack.save(update_fields=["published_at"])
            record(incident, actor, "pack_published", now, pack=pack.public_id,
                   pack_id=pack.pack_id, version=pack.version)  # fmt: skip
    return pack


def downloadable_pack(user, pack_id: str) -> IncidentPack:
    """A released pack for a testing organisation (unreleased ones: for readers only)."""
    pack = IncidentPack.objects.filter(public_id=str(pack_id)[:40]).select_related(
        "incident").first()  # fmt: skip
    if pack is None or not can_download_packs(user):
        raise UserError("not_found", "No such rule pack.", "没有该规则包。", status=404)
    if pack.published_at is None and not can_read(user):
        raise UserError("not_found", "No such rule pack.", "没有该规则包。", status=404)
    return pack


def released_packs(user):
    if not can_download_packs(user):
        return IncidentPack.objects.none()
    return IncidentPack.objects.filter(published_at__isnull=False).select_related("incident")


# ---------------------------------------------------------------------------- fleet re-scan


def start_rescan(incident: Incident, actor, scope: str, pack_id: str,
                 now: datetime | None = None) -> Rescan:  # fmt: skip
    """Queue the fleet re-scan: every registered app's latest version (``all``) or the
    latest snapshot's app versions (``affected``), as emergency jobs."""
    _runner(actor)
    now = _now(now)
    if scope not in Rescan.Scope.values:
        raise UserError("incident.bad_scope", "scope: all or affected.",
                        "scope 须为 all 或 affected。")  # fmt: skip
    pack = _pack(incident, pack_id)
    apps = queries.visible_apps(actor)
    if scope == Rescan.Scope.AFFECTED:
        snap = incident.snapshots.order_by("-created_at", "-id").first()
        if snap is None:
            raise UserError("incident.no_snapshot", "Run the affected-scope query first.",
                            "请先执行受影响范围查询。", status=409)  # fmt: skip
        apps = apps.filter(public_id__in={r["app"] for r in snap.results})
    versions = fleet.latest_versions(apps)
    if not versions:
        raise UserError("incident.nothing_to_scan", "No registered Android app to re-scan.",
                        "没有可复测的已登记 Android 应用。", status=409)  # fmt: skip
    with transaction.atomic():
        rescan = Rescan.objects.create(incident=incident, pack=pack, scope=scope,
                                       created_by=actor, created_at=now)  # fmt: skip
        fleet.submit_items(rescan, versions, actor)
        record(incident, actor, "rescan_started", now, rescan=rescan.public_id, scope=scope,
               versions=rescan.total, pack_id=pack.pack_id, version=pack.version)  # fmt: skip
    return rescan


def get_rescan(incident: Incident, rescan_id: str) -> Rescan:
    rescan = incident.rescans.filter(public_id=str(rescan_id)[:40]).select_related("pack").first()
    if rescan is None:
        raise UserError("not_found", "No such re-scan.", "没有该复测。", status=404)
    return rescan


def affected_list(rescan: Rescan) -> list[dict[str, Any]]:
    """The apps the re-scan found affected, with the rules' findings as evidence."""
    out = []
    for item in fleet.affected_items(rescan).select_related("app__organisation", "app__owner",
                                                             "version"):  # fmt: skip
        out.append({
            "app": item.app.public_id, "package_name": item.app.package_name,
            "label": item.app.label, "organisation": item.app.organisation.name,
            "vendor": item.app.owner.name if item.app.owner_id else "",
            "version": item.version.public_id, "version_name": item.version.version_name,
            "mode": item.mode,
            "evidence": [_evidence(f) for f in item.findings[:20]],
        })  # fmt: skip
    return out


def _evidence(f: dict[str, Any]) -> dict[str, str]:
    loc = f.get("location") or {}
    where = "/".join(str(loc.get(k) or "") for k in ("file", "class", "method") if loc.get(k))
    title = f.get("title") or {}
    return {"check_id": str(f.get("check_id") or "")[:120], "where": where[:500],
            "evidence": str(f.get("evidence") or "")[:500],
            "title_en": str(title.get("en") or "")[:300],
            "title_zh": str(title.get("zh-CN") or "")[:300]}  # fmt: skip
