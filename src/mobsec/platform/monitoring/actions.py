"""Business rules of channel monitoring: candidates in (upload, API, sources), sources,
fingerprint and comparison jobs queued, who sees what, takedown reports out. Pages and the
API call these; the work itself runs in jobs (handlers.py), never in a web request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from mobsec.platform.accounts import access, audit, roles
from mobsec.platform.accounts.models import Organisation
from mobsec.platform.core.errors import UserError
from mobsec.platform.registry import actions as registry
from mobsec.platform.registry.models import App, Package
from mobsec.platform.registry.store import TooLarge
from mobsec.platform.scans.actions import _display_name, _sniff, _too_large

from . import adapters, listing
from .models import Candidate, Fingerprint, Source, Verdict

CANDIDATE_JOB = "monitoring.candidate"
FINGERPRINT_JOB = "monitoring.fingerprint"
POLL_JOB = "monitoring.poll"
MAX_FINGERPRINTED_VERSIONS = 20  # per app marked official: the most recent ones


# ------------------------------------------------------------------------------ who sees what


def visible_candidates(user):
    """Candidates of organisations the user may view, and candidates with a verdict on an
    app the user may view (the owner learns of copies of its app whoever found them)."""
    a = access.resolve(user)
    if roles.VIEW in a.everything:
        return Candidate.objects.all()
    mine = Q(organisation__in=a.org_ids(roles.VIEW))
    verdict_ids = Verdict.objects.filter(a.app_q(roles.VIEW, "app__")).values("candidate_id")
    return Candidate.objects.filter(mine | Q(pk__in=verdict_ids))


def visible_verdicts(user, candidate: Candidate):
    """The candidate's verdicts the user may see: all when the candidate is their
    organisation's, else those on apps the user may view."""
    qs = candidate.verdicts.select_related("app", "version")
    if access.can(user, roles.VIEW, organisation=candidate.organisation):
        return qs
    return qs.filter(access.resolve(user).app_q(roles.VIEW, "app__"))


def official_apps(user):
    return App.objects.filter(access.resolve(user).app_q(roles.VIEW), official=True)


def monitoring_organisation(user, organisation_id: str | None, capability: str) -> Organisation:
    """The organisation a candidate or source goes to: the one named, else the only one."""
    orgs = access.organisations(user, capability)
    if organisation_id:
        org = orgs.filter(public_id=str(organisation_id)[:40]).first()
        if org is None:
            raise UserError("monitoring.no_organisation", "You cannot do this for this organisation.",
                            "您无权为该组织执行此操作。", status=403)  # fmt: skip
        return org
    found = list(orgs[:2])
    if len(found) != 1:
        raise UserError("monitoring.which_organisation",
                        "Say which organisation this is for (organisation).",
                        "请指定所属的组织（organisation）。", status=400 if found else 403)  # fmt: skip
    return found[0]


# --------------------------------------------------------------------------- candidates in


def submit_upload(
    organisation: Organisation, user, upload, raw_listing: dict[str, Any] | None = None,
    *, origin: str = Candidate.Origin.UPLOAD, request=None,
) -> Candidate:  # fmt: skip
    """A candidate uploaded on the page or through the API, with the listing the user
    typed in (title, developer, description, downloads, channel): stored, then compared in a job."""
    limit = settings.MOBSEC_MAX_UPLOAD_BYTES
    if (getattr(upload, "size", None) or 0) > limit:
        raise _too_large(limit)
    _sniff(upload)
    raw = raw_listing or {}
    cleaned, _problems = listing.clean({k: raw.get(k) for k in ("title", "developer", "description", "url")}
                                       | {"downloads": _int_or_none(raw.get("downloads"))},
                                       Path("/nonexistent"), "form")  # fmt: skip
    try:
        package, _stored = registry.store_package(upload.chunks(), limit)
    except TooLarge:
        raise _too_large(limit) from None
    candidate = _create(organisation, package, origin=origin, file_name=_display_name(upload.name),
                        channel=listing.text(raw.get("channel"), 200), listing=cleaned, user=user)  # fmt: skip
    audit.record("monitoring_candidate", actor=user, organisation=organisation,
                 target=candidate.public_id, request=request,
                 details={"sha256": package.sha256, "origin": origin})  # fmt: skip
    return candidate


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 17:
        return int(value.strip())
    return None


def _create(organisation, package: Package, *, origin: str, file_name: str, channel: str,
            listing: dict[str, Any], user=None, source: Source | None = None) -> Candidate:  # fmt: skip
    with transaction.atomic():
        candidate = Candidate.objects.create(
            organisation=organisation, source=source, origin=origin, package=package,
            file_name=file_name[:255], channel=channel[:200], listing=listing,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )  # fmt: skip
        job = _submit(CANDIDATE_JOB, organisation, {"candidate": candidate.public_id},
                      user=user, upload_bytes=package.size if source is None else None)  # fmt: skip
        Candidate.objects.filter(pk=candidate.pk).update(job_id=job.public_id)
        candidate.job_id = job.public_id
    return candidate


def _submit(kind: str, organisation, payload: dict[str, Any], *, user=None,
            upload_bytes: int | None = None, priority: str = "normal"):  # fmt: skip
    from mobsec.platform.jobs import api as jobs

    try:
        return jobs.submit(kind, organisation=organisation, payload=payload, priority=priority,
                           created_by=user if getattr(user, "is_authenticated", False) else None,
                           upload_bytes=upload_bytes)  # fmt: skip
    except jobs.QuotaExceeded as e:
        raise UserError(e.code, e.en, e.zh, status=429) from None


def fingerprint_versions(app: App) -> int:
    """Queue fingerprint jobs for the app's recent versions not fingerprinted yet."""
    versions = app.versions.select_related("package").order_by("-uploaded_at")
    return sum(
        fingerprint_package(v.package, app.organisation)
        for v in versions[:MAX_FINGERPRINTED_VERSIONS]
    )


def fingerprint_package(package: Package, organisation) -> bool:
    """Queue the package's fingerprint job unless it has a fingerprint or a job on the way."""
    from mobsec.platform.jobs.models import FINAL_STATES, Job

    if Fingerprint.objects.filter(package=package).exists():
        return False
    pending = Job.objects.filter(kind=FINGERPRINT_JOB, payload__package=package.sha256)
    if pending.exclude(state__in=FINAL_STATES).exists():
        return False
    _submit(FINGERPRINT_JOB, organisation, {"package": package.sha256})
    return True


# ---------------------------------------------------------------------------------- sources


def roots() -> list[Path]:
    configured = getattr(settings, "MOBSEC_MONITORING_ROOTS", None) or [
        Path(settings.DATA_DIR) / "monitoring"
    ]
    return [Path(r).resolve() for r in configured]


def source_directory(path: str) -> Path:
    """The directory, resolved, if it is inside a root the operator allowed, else UserError."""
    try:
        resolved = Path(str(path)[:1000]).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        resolved = None
    if resolved is None or not resolved.is_dir():
        raise UserError("monitoring.no_directory", f"{str(path)[:200]!r} is not a directory.",
                        f"{str(path)[:200]!r} 不是目录。", status=400)  # fmt: skip
    if not any(resolved == r or r in resolved.parents for r in roots()):
        raise UserError("monitoring.outside_roots",
                        "The directory is outside the folders the operator allows for monitoring (MOBSEC_MONITORING_ROOTS).",
                        "该目录不在运营方允许监测的目录（MOBSEC_MONITORING_ROOTS）之内。", status=400)  # fmt: skip
    return resolved


def create_source(user, organisation: Organisation, *, kind: str, adapter: str, name: str,
                  path: str, contact: str = "", request=None) -> Source:  # fmt: skip
    """A watched folder or a channel adapter's directory (organisation administrators)."""
    if not access.can(user, roles.MANAGE, organisation=organisation):
        raise UserError("forbidden", "You may not do this.", "您无权执行此操作。", status=403)
    if kind == Source.Kind.FOLDER:
        adapter = "folder"
    elif kind != Source.Kind.ADAPTER or adapter == "folder" or adapter not in adapters.names():
        raise UserError("monitoring.unknown_adapter",
                        f"Unknown source kind or adapter; adapters: {', '.join(adapters.names())}.",
                        f"未知的来源类型或适配器；可用适配器：{', '.join(adapters.names())}。")  # fmt: skip
    name = listing.text(name, 200)
    if not name:
        raise UserError("monitoring.invalid", "Give the channel a name.", "请填写渠道名称。")
    directory = source_directory(path)
    source = Source.objects.create(organisation=organisation, kind=kind, adapter=adapter,
                                   name=name, path=str(directory), created_by=user,
                                   contact=listing.text(contact, 300))  # fmt: skip
    audit.record("monitoring_source", actor=user, organisation=organisation,
                 target=source.public_id, request=request,
                 details={"kind": kind, "adapter": adapter, "path": str(directory)})  # fmt: skip
    return source


def poll(source: Source, user=None):
    """Queue a poll of the source (the poll job reads it, never the web request)."""
    return _submit(POLL_JOB, source.organisation, {"source": source.public_id}, user=user)


# ------------------------------------------------------------------------------- takedown


TAKEDOWN_FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
TAKEDOWN_LANGS = ("zh-CN", "en")


def takedown(verdict: Verdict, lang: str, fmt: str) -> bytes:
    """The takedown report of a verdict, addressed to the channel the candidate came from."""
    from . import engine

    if fmt not in TAKEDOWN_FORMATS or lang not in TAKEDOWN_LANGS:
        raise UserError("monitoring.invalid", "Unknown language or format.", "未知的语言或格式。",
                        status=404)  # fmt: skip
    if verdict.verdict not in (Verdict.REPACKAGED, Verdict.COUNTERFEIT):
        raise UserError("monitoring.no_takedown",
                        "Only a repackaged or counterfeit copy gets a takedown report.",
                        "只有重打包或仿冒应用才生成下架报告。", status=409)  # fmt: skip
    candidate = verdict.candidate
    comparison = engine.compare(candidate.package.fingerprint.document,
                                verdict.version.package.fingerprint.document,
                                list(verdict.app.certificates))  # fmt: skip
    source = candidate.source
    channel = {"name": candidate.channel or (source.name if source else "") or "—",
               "contact": source.contact if source else ""}  # fmt: skip
    owner = verdict.app.owner or verdict.app.organisation
    try:
        return engine.render_takedown(comparison, channel, lang, fmt, owner.name)
    except Exception as e:  # noqa: BLE001 - the engine's RenderError (fonts, WeasyPrint)
        raise UserError("monitoring.render", f"The takedown report could not be made: {e}",
                        f"无法生成下架通知报告：{e}", status=503) from None  # fmt: skip
