"""The legal guards of the life cycle (网络产品安全漏洞管理规定, regulations.md §4.3, and
ISO/IEC 29147/30111, §5). Pure functions of the records and a time ``now``: the actions in
``actions.py`` call them before every step, so no role — platform administrator included —
can skip one. The publication freeze is the only switch.

Interface for other apps (the disclosure app):

- ``publication_blockers(vuln, now) -> list[Reason]``: empty when ``vuln`` may be published
  now. Publishing itself is ``actions.disclose(vuln, actor, advisory_ref, now=...)``, which
  raises :class:`GuardError` (with the reasons) when this list is not empty.
- ``public_output_blockers(vuln, text) -> list[Reason]``: a public document (advisory page,
  CSAF/OSV/CVE JSON, feed) must not carry the reproduction steps, PoC or attachments.
- ``detail_recipient_blockers(vuln, organisation)``: unpublished details never go overseas
  (other than to the product's provider) nor to non-signatories of the convention.
- ``freeze_in_force() -> PublicationFreeze | None``.

Sources (article numbers as in regulations.md; [M] = wording not checked, "needs review"):
art. 5 receipt log ≥ 6 months [V/M]; art. 7 the provider's 2-day report to the national
platform [M]; art. 9(1) no publication before a fix, early only after a joint assessment
reported to MIIT and MPS [M]; art. 9(4) no exploit programs [M]; art. 9(5) fixes or
mitigations published at the same time [M]; art. 9(6) no publication during major events
without MPS consent (the freeze) [M]; art. 9(7) no unpublished vulnerability to overseas
organisations or individuals other than the provider [M]; art. 11 collectors prevent
internal leaks (access only on the case, logged) [M].
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mobsec.platform.core.errors import UserError

from . import conf
from .machine import State
from .models import (
    ConventionSignature,
    OrganisationProfile,
    PublicationFreeze,
    Vulnerability,
)

PUBLISHABLE_FROM = frozenset({State.CONFIRMED, State.VENDOR_NOTIFIED, State.FIXING, State.FIXED})


@dataclass(frozen=True)
class Reason:
    code: str
    en: str
    zh: str
    source: str  # the article or standard the guard comes from

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "en": self.en, "zh-CN": self.zh, "source": self.source}


class GuardError(UserError):
    """An action refused by a legal guard; ``reasons`` says which and why."""

    def __init__(self, reasons: list[Reason]) -> None:
        super().__init__(
            "vulns.guard",
            " ".join(r.en for r in reasons),
            "".join(r.zh for r in reasons),
            status=409,
        )
        self.reasons = reasons

    def to_json(self) -> dict[str, object]:
        return {**super().to_json(), "reasons": [r.to_json() for r in self.reasons]}


def freeze_in_force() -> PublicationFreeze | None:
    latest = PublicationFreeze.objects.order_by("-at", "-pk").first()
    return latest if latest is not None and latest.active else None


def has_joint_assessment(vuln: Vulnerability) -> bool:
    return vuln.pk is not None and vuln.joint_assessments.exists()


def publication_blockers(vuln: Vulnerability, now: datetime) -> list[Reason]:
    """Why ``vuln`` may not be published at ``now`` (empty: it may)."""
    out: list[Reason] = []
    if vuln.state not in PUBLISHABLE_FROM:
        out.append(Reason("state", f"A case in state {vuln.state!r} cannot be published.",
                          f"状态为 {vuln.state!r} 的漏洞不能公开。",
                          "ISO/IEC 30111 (verified before release)"))  # fmt: skip
        return out
    if vuln.vendor_notified_at is None:
        out.append(Reason("vendor_not_notified",
                          "The product's provider has not been notified.",
                          "尚未通知产品提供者。", "art. 7, art. 9(1) [M]"))  # fmt: skip
    fixed = vuln.state == State.FIXED
    agreed = vuln.agreed_disclosure_at is not None and vuln.agreed_disclosure_at <= now
    if not (fixed or agreed or has_joint_assessment(vuln)):
        out.append(Reason("no_fix",
                          "No verified fix exists, the agreed disclosure date has not passed "
                          "and no joint assessment is recorded.",
                          "尚无经验证的修复，约定的公开日期未到，且无联合评估记录。",
                          "art. 9(1) [M]"))  # fmt: skip
    if not (vuln.mitigation or "").strip():
        out.append(Reason("no_mitigation",
                          "A fix or mitigation must be published with it.",
                          "公开时必须同时发布修复或缓解措施。", "art. 9(5) [M]"))  # fmt: skip
    if vuln.national_report_at is None:
        out.append(Reason("no_national_report",
                          "The report to the national platform has not been produced.",
                          "尚未生成向国家漏洞平台报送的材料。", "art. 7 [M]"))  # fmt: skip
    freeze = freeze_in_force()
    if freeze is not None:
        out.append(Reason("freeze",
                          f"A publication freeze is in force ({freeze.order_ref}).",
                          f"发布冻结生效中（{freeze.order_ref}）。", "art. 9(6) [M]"))  # fmt: skip
    return out


def public_output_blockers(vuln: Vulnerability, text: str) -> list[Reason]:
    """A public output may carry no PoC: neither the reproduction steps nor an attachment
    (its name or hash). ``text`` is the whole document as published."""
    out: list[Reason] = []
    steps = (vuln.reproduction or "").strip()
    if len(steps) >= 12 and steps in text:
        out.append(Reason("reproduction_public",
                          "The reproduction steps must not be published.",
                          "不得公开复现步骤。", "art. 9(4) [M]"))  # fmt: skip
    for a in vuln.attachments.all() if vuln.pk else []:
        if a.sha256 in text or (len(a.name) >= 6 and a.name in text):
            out.append(Reason("attachment_public",
                              f"Attachment {a.name!r} must not be published.",
                              f"不得公开附件 {a.name!r}。", "art. 9(4) [M]"))  # fmt: skip
    return out


def is_overseas(organisation) -> bool:
    if organisation is None:
        return False
    return OrganisationProfile.objects.filter(organisation=organisation, overseas=True).exists()


def is_signatory(organisation) -> bool:
    return ConventionSignature.objects.filter(
        organisation=organisation, revoked_at__isnull=True
    ).exists()


def detail_recipient_blockers(vuln: Vulnerability, organisation) -> list[Reason]:
    """Whether unpublished details of ``vuln`` may go to ``organisation``."""
    if not vuln.embargoed or (vuln.vendor_id and organisation.pk == vuln.vendor_id):
        return []  # published, or the product's own provider
    out = []
    if is_overseas(organisation):
        out.append(Reason("overseas",
                          f"{organisation.name} is marked overseas: unpublished details may "
                          "not go there.",
                          f"{organisation.name} 为境外组织：未公开的漏洞细节不得提供。",
                          "art. 9(7) [M]"))  # fmt: skip
    if not is_signatory(organisation):
        out.append(Reason("not_signatory",
                          f"{organisation.name} has not signed the disclosure convention.",
                          f"{organisation.name} 未签署漏洞披露自律公约。",
                          "self-regulatory convention (issue 9, point 9)"))  # fmt: skip
    return out


def user_is_overseas(user, vuln: Vulnerability) -> bool:
    """A person counts as overseas when one of their organisations is marked overseas,
    unless that organisation is the product's provider."""
    from mobsec.platform.accounts.models import Membership

    orgs = Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
    return OrganisationProfile.objects.filter(
        organisation_id__in=[o for o in orgs if o != vuln.vendor_id], overseas=True
    ).exists()


@dataclass(frozen=True)
class Clock:
    """The provider's report to the national platform (art. 7): 2 calendar days from the
    confirmation of a vulnerability in its product."""

    started_at: datetime | None
    due_at: datetime | None
    produced_at: datetime | None

    def overdue(self, now: datetime) -> bool:
        return self.due_at is not None and self.produced_at is None and now > self.due_at

    def remaining_seconds(self, now: datetime) -> float | None:
        if self.due_at is None or self.produced_at is not None:
            return None
        return (self.due_at - now).total_seconds()


def national_report_clock(vuln: Vulnerability) -> Clock:
    if vuln.confirmed_at is None:
        return Clock(None, None, vuln.national_report_at)
    return Clock(
        vuln.confirmed_at, vuln.confirmed_at + conf.national_report_period(),
        vuln.national_report_at,
    )  # fmt: skip
