"""Business rules of disclosure: draft an advisory from the case, review it, publish it
through the guarded ``vulns.actions.disclose`` (never by writing the state), revise it;
report quality for rewards; the year's best cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from mobsec.advisories import AdvisoryError, NoEcosystem, Revision, check
from mobsec.advisories.ids import advisory_id
from mobsec.advisories.purl import ECOSYSTEMS
from mobsec.platform.accounts import access as accounts_access
from mobsec.platform.accounts import audit
from mobsec.platform.core.errors import UserError
from mobsec.platform.vulns import access as vulns_access
from mobsec.platform.vulns import actions as vulns_actions
from mobsec.platform.vulns import guards
from mobsec.platform.vulns.models import Vulnerability

from . import conf, documents
from .models import Advisory, AdvisoryRevision, FeaturedCase, ReportQuality

# Revision summaries are one text for both languages (CSAF and CVE carry one).
INITIAL_RELEASE = "Initial release / 首次发布"
TEXT_FIELDS = ("title", "description", "impact", "solution", "mitigation")
PLAIN_FIELDS = ("vendor_name", "product_name", "package", "platform", "ecosystem",
                "introduced", "fixed_version", "affected_versions", "cve_id")  # fmt: skip
LIMITS = {"title": 256, "vendor_name": 200, "product_name": 200, "package": 255,
          "platform": 16, "ecosystem": 20, "introduced": 64, "fixed_version": 64,
          "affected_versions": 500, "cve_id": 24}  # fmt: skip


def _coordinator(actor) -> None:
    if not vulns_access.is_coordinator(actor):
        raise vulns_actions.forbidden()


def _on_case(actor, vuln: Vulnerability) -> None:
    _coordinator(actor)
    if vulns_access.parts(actor, vuln) == set():
        raise vulns_actions.not_found()


def draft(vuln: Vulnerability, actor) -> Advisory:
    """An advisory drafted from the case (once per case): the reviewer edits it after."""
    _on_case(actor, vuln)
    if vuln.state not in guards.PUBLISHABLE_FROM:
        raise UserError("disclosure.not_confirmed",
                        "Only a confirmed vulnerability gets an advisory.",
                        "只有已确认的漏洞才能起草公告。", status=409)  # fmt: skip
    existing = Advisory.objects.filter(vulnerability=vuln).first()
    if existing is not None:
        return existing
    fix = vuln.fix_version.strip()
    app = vuln.app
    a = Advisory.objects.create(
        vulnerability=vuln,
        title_en=vuln.title[:256], title_zh=vuln.title[:256],
        description_en=vuln.description, description_zh=vuln.description,
        impact_en=vuln.impact, impact_zh=vuln.impact,
        solution_en=f"Update to version {fix}." if fix else "",
        solution_zh=f"升级到 {fix} 版本。" if fix else "",
        mitigation_en=vuln.mitigation, mitigation_zh=vuln.mitigation,
        vendor_name=(vuln.vendor.name if vuln.vendor else "") or vuln.package_name,
        product_name=_product_name(app, vuln)[:200],
        package=vuln.package_name, platform=vuln.platform,
        fixed_version=fix[:64], affected_versions=vuln.app_version[:500],
        cwe=vuln.cwe, cvss31=vuln.cvss31_vector, cvss40=vuln.cvss40_vector,
        credit_name=vuln.credit_name, drafted_by=actor,
    )  # fmt: skip
    audit.record("disclosure.draft", actor=actor, target=vuln.public_id)
    return a


def _product_name(app, vuln: Vulnerability) -> str:
    """The official English name, else the package's label, else the package name."""
    if app is None:
        return vuln.package_name
    return app.official_name_en or app.label or vuln.package_name


def update(a: Advisory, actor, data: dict[str, Any]) -> Advisory:
    """Edit a draft (a reviewed draft goes back to draft: it must be reviewed again)."""
    _on_case(actor, a.vulnerability)
    if a.status == Advisory.Status.PUBLISHED:
        raise UserError("disclosure.published", "Publish a revision instead.",
                        "公告已发布，请发布修订版。", status=409)  # fmt: skip
    _apply(a, data)
    a.status = Advisory.Status.DRAFT
    a.reviewed_by, a.reviewed_at = None, None
    a.save()
    return a


def _apply(a: Advisory, data: dict[str, Any]) -> None:
    for name in TEXT_FIELDS:
        for lang in ("en", "zh"):
            key = f"{name}_{lang}"
            if key in data:
                setattr(a, key, str(data[key] or "").strip()[: LIMITS.get(name, 20_000)])
    for key in PLAIN_FIELDS:
        if key in data:
            setattr(a, key, str(data[key] or "").strip()[: LIMITS[key]])
    if a.ecosystem and a.ecosystem not in ECOSYSTEMS:
        raise UserError("disclosure.ecosystem",
                        f"Unknown ecosystem {a.ecosystem!r}: {', '.join(ECOSYSTEMS)}.",
                        f"未知的软件包生态 {a.ecosystem!r}。")  # fmt: skip


def _refuse(problems: list[str]) -> UserError:
    return UserError("disclosure.incomplete", "The advisory is not complete: " + "; ".join(problems),
                     "公告不完整：" + "；".join(problems), status=409)  # fmt: skip


def review(a: Advisory, actor, base_url: str, now: datetime | None = None) -> Advisory:
    """The review step: the advisory is complete in both languages and carries no PoC."""
    _on_case(actor, a.vulnerability)
    if a.status != Advisory.Status.DRAFT:
        raise UserError("disclosure.not_draft", "Only a draft is reviewed.",
                        "只能审核草稿。", status=409)  # fmt: skip
    # A draft has no revision yet: check it as the first one would be.
    problems = _check_as_published(a, base_url, now or timezone.now())
    if problems:
        raise _refuse(problems)
    a.status = Advisory.Status.REVIEWED
    a.reviewed_by, a.reviewed_at = actor, now or timezone.now()
    a.save()
    audit.record("disclosure.review", actor=actor, target=a.vulnerability.public_id)
    return a


def _check_as_published(a: Advisory, base_url: str, now: datetime) -> list[str]:
    """The library's completeness check (a draft is checked as its first revision)."""
    lib = documents.to_advisory(a, base_url, a.advisory_id or "CHECK-2000-0001")
    if not lib.revisions:
        lib = replace(lib, revisions=(Revision(1, now, INITIAL_RELEASE),))
    try:
        check(lib)
    except AdvisoryError as e:
        return e.problems
    return []


def _guard_public_text(a: Advisory, base_url: str) -> None:
    try:
        text = documents.all_text(a, base_url)
    except (AdvisoryError, NoEcosystem) as e:
        raise _refuse(getattr(e, "problems", [str(e)])) from None
    text += "\n".join(a.text(n, lang) for n in TEXT_FIELDS for lang in ("en", "zh"))
    blockers = guards.public_output_blockers(a.vulnerability, text)
    notes = (a.vulnerability.verification_notes or "").strip()
    if len(notes) >= 12 and notes in text:  # the verifier's internal notes stay internal
        blockers.append(guards.Reason("verification_public",
                                      "The verifier's notes must not be published.",
                                      "不得公开验证记录。", "art. 9(4), art. 11 [M]"))  # fmt: skip
    if blockers:
        raise guards.GuardError(blockers)


def publish(a: Advisory, actor, base_url: str, now: datetime | None = None,
            request=None) -> Advisory:  # fmt: skip
    """Give the advisory its id and publish it through the guarded disclose action; a guard
    refusal (no fix, no mitigation, freeze, ...) leaves everything as it was."""
    now = now or timezone.now()
    _on_case(actor, a.vulnerability)
    # Two advisories published at once may take the same number: the unique constraint
    # refuses the second, which takes the next one.
    for attempt in range(5):
        try:
            a = _publish_once(a, actor, base_url, now, request)
            break
        except IntegrityError:
            if attempt == 4:
                raise
    audit.record("disclosure.publish", actor=actor, target=a.advisory_id, request=request)
    return a


def _publish_once(a: Advisory, actor, base_url: str, now: datetime, request) -> Advisory:
    with transaction.atomic():
        a = Advisory.objects.select_for_update().get(pk=a.pk)
        if a.status != Advisory.Status.REVIEWED:
            raise UserError("disclosure.not_reviewed",
                            "Review the advisory before publishing it.",
                            "发布前必须先审核公告。", status=409)  # fmt: skip
        year = now.year
        last = Advisory.objects.filter(year=year).aggregate(m=Max("number"))["m"] or 0
        a.year, a.number = year, last + 1
        a.advisory_id = advisory_id(conf.advisory_prefix(), year, a.number)
        a.published_at = a.updated_at = now
        a.status = Advisory.Status.PUBLISHED
        a.save()
        AdvisoryRevision.objects.create(advisory=a, number=1, at=now, summary=INITIAL_RELEASE,
                                        by=actor)  # fmt: skip
        _guard_public_text(a, base_url)
        # The only way to the disclosed state; raises GuardError (and rolls all back).
        vulns_actions.disclose(a.vulnerability, actor, a.advisory_id, request=request, now=now)
    return a


def revise(a: Advisory, actor, data: dict[str, Any], summary: str, base_url: str,
           now: datetime | None = None) -> Advisory:  # fmt: skip
    """A new revision of a published advisory (corrections, CVE id added...)."""
    now = now or timezone.now()
    _on_case(actor, a.vulnerability)
    summary = (summary or "").strip()[:500]
    if a.status != Advisory.Status.PUBLISHED:
        raise UserError("disclosure.not_published", "Only a published advisory is revised.",
                        "只能修订已发布的公告。", status=409)  # fmt: skip
    if not summary:
        raise UserError("disclosure.summary", "Say what the revision changes.",
                        "请说明本次修订的内容。")  # fmt: skip
    with transaction.atomic():
        a = Advisory.objects.select_for_update().get(pk=a.pk)
        _apply(a, data)
        last = a.revisions.aggregate(m=Max("number"))["m"] or 0
        a.updated_at = now
        a.save()
        AdvisoryRevision.objects.create(advisory=a, number=last + 1, at=now, summary=summary,
                                        by=actor)  # fmt: skip
        problems = _check_as_published(a, base_url, now)
        if problems:
            raise _refuse(problems)
        _guard_public_text(a, base_url)
    audit.record("disclosure.revise", actor=actor, target=a.advisory_id)
    return a


def set_quality(vuln: Vulnerability, actor, quality: str, now: datetime | None = None):
    _on_case(actor, vuln)
    if quality not in conf.QUALITIES:
        raise UserError("disclosure.quality", f"Quality is one of {', '.join(conf.QUALITIES)}.",
                        "报告质量须为 excellent/good/basic 之一。")  # fmt: skip
    ReportQuality.objects.update_or_create(
        vulnerability=vuln, defaults={"quality": quality, "set_by": actor,
                                      "at": now or timezone.now()},
    )  # fmt: skip


def feature(actor, year: int, rank: int, a: Advisory, note_en: str = "", note_zh: str = "",
            now: datetime | None = None) -> FeaturedCase:  # fmt: skip
    """One of the year's ten best cases (platform administrators choose them)."""
    if not accounts_access.is_platform_admin(actor):
        raise vulns_actions.forbidden()
    if not 1 <= rank <= 10 or a.status != Advisory.Status.PUBLISHED:
        raise UserError("disclosure.feature", "Rank 1-10, and only published advisories.",
                        "名次须为 1-10，且只能选择已发布的公告。")  # fmt: skip
    case, _ = FeaturedCase.objects.update_or_create(
        year=year, rank=rank,
        defaults={"advisory": a, "note_en": note_en[:2000], "note_zh": note_zh[:2000],
                  "chosen_by": actor, "at": now or timezone.now()},
    )  # fmt: skip
    audit.record("disclosure.feature", actor=actor, target=a.advisory_id)
    return case
