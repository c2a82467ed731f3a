"""Vulnerability cases and everything recorded about them (docs/vulns.md).

Stable names other apps build on (the disclosure app: advisories, rewards, ratings,
statistics): ``Vulnerability`` (+ ``state`` from ``machine.State``, ``severity``,
``cvss31_*``/``cvss40_*``, ``reporter``, ``reporter_org``, ``vendor``, ``app``,
``credit_name``, ``mitigation``, ``fix_version``, the ``*_at`` timestamps),
``Transition`` (the audit trail), ``IntakeLogEntry`` (append-only receipt log),
``PublicationFreeze``, ``OrganisationProfile`` (overseas flag), ``Convention`` /
``ConventionSignature``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from mobsec.platform.accounts.models import Organisation
from mobsec.platform.core.ids import PublicIdField
from mobsec.platform.registry.models import App, Version

from .machine import State

SEVERITIES = ("critical", "high", "medium", "low")


class Channel(models.TextChoices):
    PORTAL = "portal", _("reporter portal")
    ANONYMOUS = "anonymous", _("anonymous submission")
    API = "api", _("REST API")
    IMPORT = "import", _("batch import")


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk update and delete refused too (the model refuses them row by row)."""

    def update(self, **kwargs):
        raise ValidationError(f"{self.model.__name__} is append-only")

    def delete(self):
        raise ValidationError(f"{self.model.__name__} is append-only")


class Vulnerability(models.Model):
    """One reported vulnerability, from receipt to disclosure (one case)."""

    public_id = PublicIdField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.RECEIVED)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # Who reported: a registered user (with the organisation they reported for, e.g. a
    # support unit), or nobody (anonymous: the follow-up token's SHA-256 is kept).
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="reported_vulns",
    )  # fmt: skip
    reporter_org = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up_digest = models.CharField(max_length=64, blank=True, db_index=True)
    reporter_contact = models.EmailField(blank=True)  # anonymous reporters may leave one
    credit_name = models.CharField(max_length=120, blank=True)  # opt-in public credit
    partner_ref = models.CharField(max_length=120, blank=True)  # id in a partner's batch
    # The affected app as reported, and as linked at triage.
    package_name = models.CharField(_("package name"), max_length=255)
    app_version = models.CharField(_("version"), max_length=100, blank=True)
    platform = models.CharField(_("platform"), max_length=16, default="android")
    app = models.ForeignKey(App, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="vulnerabilities")  # fmt: skip
    version = models.ForeignKey(Version, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="vulnerabilities")  # fmt: skip
    # The weakness: a CWE ("CWE-295") and/or one of our check ids, at a location.
    cwe = models.CharField(max_length=16, blank=True)
    check_id = models.CharField(max_length=120, blank=True)
    location = models.CharField(_("location"), max_length=500, blank=True)
    dedup_key = models.CharField(max_length=64, db_index=True)  # app + weakness + location
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="duplicates")  # fmt: skip
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))
    reproduction = models.TextField(_("reproduction steps"), blank=True)
    impact = models.TextField(_("impact"), blank=True)
    suggested_severity = models.CharField(max_length=8, blank=True)
    # Verification and rating.
    verification_notes = models.TextField(blank=True)
    evidence_scan = models.ForeignKey("scans.Scan", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    evidence_fingerprint = models.CharField(max_length=32, blank=True)
    cvss31_vector = models.CharField(max_length=200, blank=True)
    cvss31_score = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    cvss40_vector = models.CharField(max_length=300, blank=True)
    cvss40_score = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    severity = models.CharField(max_length=8, blank=True)  # critical/high/medium/low
    # The alliance's list factors: harm, scope of influence, repair difficulty, exploitability.
    factors = models.JSONField(default=dict, blank=True)
    # Vendor disposal.
    vendor = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="vendor_vulns")  # fmt: skip
    due_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    disputed = models.BooleanField(default=False)
    fix_version = models.CharField(max_length=100, blank=True)
    fix_version_ref = models.ForeignKey(Version, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    mitigation = models.TextField(_("fix or mitigation"), blank=True)  # published with it
    agreed_disclosure_at = models.DateTimeField(null=True, blank=True)
    advisory_ref = models.CharField(max_length=64, blank=True)  # set by actions.disclose
    # Timestamps of the life cycle (statistics read these).
    received_at = models.DateTimeField(db_index=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)  # starts the 2-day clock
    vendor_notified_at = models.DateTimeField(null=True, blank=True)
    fixed_at = models.DateTimeField(null=True, blank=True)
    disclosed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # rejected/duplicate/withdrawn
    national_report_at = models.DateTimeField(null=True, blank=True)  # first report produced
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["state", "due_at"]), models.Index(fields=["vendor"])]

    def __str__(self) -> str:
        return f"{self.public_id} {self.package_name}: {self.title}"

    @property
    def embargoed(self) -> bool:
        return self.state != State.DISCLOSED


class Transition(models.Model):
    """The audit trail of a case: every action, who (and as what), when, why. Append-only."""

    public_id = PublicIdField()
    vulnerability = models.ForeignKey(Vulnerability, on_delete=models.PROTECT,
                                      related_name="transitions")  # fmt: skip
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16)
    to_state = models.CharField(max_length=16)
    # PROTECT: a person who acted on a case is deactivated, never deleted from the trail.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")  # fmt: skip
    part = models.CharField(max_length=16)  # reporter/coordinator/verifier/vendor/system
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("the audit trail of a case is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("the audit trail of a case is append-only")


class IntakeLogEntry(models.Model):
    """The receipt log (article 5: kept at least 6 months): one row per report received,
    with the acknowledgement sent. Append-only: the model refuses updates and deletes, and on
    PostgreSQL a trigger refuses them too (migration 0002); the case is PROTECTed."""

    seq = models.BigAutoField(primary_key=True)
    received_at = models.DateTimeField(db_index=True)
    vulnerability = models.ForeignKey(Vulnerability, on_delete=models.PROTECT,
                                      related_name="intake_log")  # fmt: skip
    channel = models.CharField(max_length=10, choices=Channel.choices)
    reporter = models.CharField(max_length=150, blank=True)  # user name at receipt, or ""
    reporter_org = models.CharField(max_length=200, blank=True)
    package_name = models.CharField(max_length=255)
    title = models.CharField(max_length=300)
    content_sha256 = models.CharField(max_length=64)  # of the report as received
    attachments = models.JSONField(default=list)  # [{sha256, size, name}]
    acknowledgement = models.TextField()  # the text sent back to the reporter
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("the intake log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("the intake log is append-only")


class Attachment(models.Model):
    """A PoC file, screenshot or package: bytes in the content-addressed attachment store
    (``attachments.py``), never served inline, never executed. A package is also scanned."""

    class Kind(models.TextChoices):
        POC = "poc", _("proof of concept")
        SCREENSHOT = "screenshot", _("screenshot")
        PACKAGE = "package", _("app package")
        OTHER = "other", _("other")

    public_id = PublicIdField()
    vulnerability = models.ForeignKey(Vulnerability, on_delete=models.PROTECT,
                                      related_name="attachments")  # fmt: skip
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    name = models.CharField(max_length=200)  # as uploaded; display only
    kind = models.CharField(max_length=12, choices=Kind.choices)
    sniffed = models.CharField(max_length=80, blank=True)  # what the bytes look like
    scan = models.ForeignKey("scans.Scan", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")  # fmt: skip
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)


class CaseAssignment(models.Model):
    """A person put on a case (the people who may read its embargoed details besides the
    reporter and the vendor). Every assignment is audited and shown on the case."""

    vulnerability = models.ForeignKey(Vulnerability, on_delete=models.CASCADE,
                                      related_name="assignments")  # fmt: skip
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="vuln_assignments")  # fmt: skip
    part = models.CharField(max_length=16)  # verifier / coordinator
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    reason = models.TextField(blank=True)
    at = models.DateTimeField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["at"]


class VendorResponse(models.Model):
    """What the vendor said: acknowledged, disputed, asked for more time, reported a fix."""

    class Kind(models.TextChoices):
        ACKNOWLEDGE = "acknowledge", _("acknowledged")
        DISPUTE = "dispute", _("disputed")
        EXTENSION = "extension", _("asked for an extension")
        FIX = "fix", _("reported a fix")

    vulnerability = models.ForeignKey(Vulnerability, on_delete=models.CASCADE,
                                      related_name="vendor_responses")  # fmt: skip
    kind = models.CharField(max_length=12, choices=Kind.choices)
    reason = models.TextField(blank=True)
    fix_version = models.CharField(max_length=100, blank=True)
    requested_until = models.DateTimeField(null=True, blank=True)
    granted = models.BooleanField(null=True)  # extension: None until decided
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")  # fmt: skip
    at = models.DateTimeField()

    class Meta:
        ordering = ["at"]


class FixCheck(models.Model):
    """A re-scan of the vendor's fixed version against the case's evidence."""

    class Result(models.TextChoices):
        PENDING = "pending", _("scanning")
        GONE = "gone", _("evidence gone: fixed")
        PRESENT = "present", _("evidence still present")
        WRONG_APP = "wrong_app", _("not the affected app")
        NO_EVIDENCE = "no_evidence", _("no recorded evidence to compare: verify by hand")
        FAILED = "failed", _("scan failed")

    public_id = PublicIdField()
    vulnerability = models.ForeignKey(Vulnerability, on_delete=models.CASCADE,
                                      related_name="fix_checks")  # fmt: skip
    scan = models.ForeignKey("scans.Scan", on_delete=models.PROTECT, related_name="+")
    result = models.CharField(max_length=12, choices=Result.choices, default=Result.PENDING)
    matched = models.JSONField(default=list, blank=True)  # findings that still match
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)


class JointAssessment(models.Model):
    """Article 9(1): early publication only after a joint assessment with the provider,
    reported to MIIT and MPS. Recorded, never inferred."""

    vulnerability = models.ForeignKey(Vulnerability, on_delete=models.PROTECT,
                                      related_name="joint_assessments")  # fmt: skip
    parties = models.TextField()  # who assessed together (the provider among them)
    conclusion = models.TextField()
    reported_to = models.CharField(max_length=200)  # e.g. "MIIT, MPS: ref ..."
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    at = models.DateTimeField()


class NationalReport(models.Model):
    """The report document for the national platform (article 7, 2-day clock), as produced."""

    vulnerability = models.ForeignKey(Vulnerability, on_delete=models.PROTECT,
                                      related_name="national_reports")  # fmt: skip
    document = models.JSONField()
    produced_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    at = models.DateTimeField()
    within_deadline = models.BooleanField()


class PublicationFreeze(models.Model):
    """A regulator-ordered publication freeze (major events, article 9(6)). The latest row
    is in force; rows are only added. While on, nothing is published."""

    active = models.BooleanField()
    order_ref = models.CharField(max_length=200)  # who ordered it, reference
    reason = models.TextField(blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+")  # fmt: skip
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-pk"]


class OrganisationProfile(models.Model):
    """What the guards need to know about an organisation: whether it is overseas."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE,
                                        related_name="vuln_profile")  # fmt: skip
    overseas = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)


class Convention(models.Model):
    """A version of the self-regulatory disclosure convention (text in both languages)."""

    version = models.CharField(max_length=20, unique=True)
    text_en = models.TextField()
    text_zh = models.TextField()
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at"]


class ConventionSignature(models.Model):
    """An organisation signed a version of the convention (on a date, by someone)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="convention_signatures")  # fmt: skip
    convention = models.ForeignKey(Convention, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                  on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    signed_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "convention"],
                                               name="sign_once_per_version")]  # fmt: skip


class DetailShare(models.Model):
    """Unpublished details given to an organisation outside the case (guarded)."""

    vulnerability = models.ForeignKey(Vulnerability, on_delete=models.PROTECT,
                                      related_name="shares")  # fmt: skip
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                  on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    at = models.DateTimeField()


class TotpDevice(models.Model):
    """A user's TOTP secret (RFC 6238, 30 s, 6 digits) for two-factor login."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="totp")  # fmt: skip
    secret = models.BinaryField(max_length=20)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)  # a code is accepted once (no replay)
    created_at = models.DateTimeField(auto_now_add=True)
