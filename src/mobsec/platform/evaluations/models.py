"""Schemes, evaluations of app versions with their item results and evidence, the audit trail,
report numbers, certificates and their status history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mobsec.platform.accounts.models import Organisation
from mobsec.platform.core.ids import PublicIdField
from mobsec.platform.registry.models import Version
from mobsec.platform.scans.models import Scan


class Scheme(models.Model):
    """One version of an evaluation scheme. ``organisation`` null: shipped with mobsec
    (``mobsec/certification/schemes``); otherwise an organisation's own scheme."""

    public_id = PublicIdField()
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    scheme_id = models.CharField(max_length=80)
    version = models.CharField(max_length=40)
    code = models.CharField(max_length=200)
    title_en = models.CharField(max_length=500)
    title_zh = models.CharField(max_length=500)
    needs_review = models.BooleanField(default=False)  # some item texts not checked
    source = models.TextField()  # the YAML as given: the scheme is data, kept verbatim
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "scheme_id", "version"], name="scheme_version_once"
            ),
            models.UniqueConstraint(
                fields=["scheme_id", "version"],
                condition=models.Q(organisation__isnull=True),
                name="builtin_scheme_version_once",
            ),
        ]
        ordering = ["scheme_id", "-created_at"]


class Evaluation(models.Model):
    """An app version evaluated against a scheme version, from one scan's report."""

    class State(models.TextChoices):
        DRAFT = "draft", _("in progress")
        SUBMITTED = "submitted", _("submitted for review")
        APPROVED = "approved", _("approved")

    public_id = PublicIdField()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="evaluations")
    scan = models.ForeignKey(Scan, on_delete=models.PROTECT, related_name="evaluations")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="evaluations")
    client = models.CharField(_("client"), max_length=300)  # who commissioned the test
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    conclusion = models.CharField(max_length=16, blank=True)  # pass / fail at approval
    tester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    report_number = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "report_number"],
                condition=~models.Q(report_number=""),
                name="report_number_once",
            )
        ]


class ItemResult(models.Model):
    """One scheme item of an evaluation: what the scan decided, and the final result."""

    class Result(models.TextChoices):
        PASS = "pass", _("pass")
        FAIL = "fail", _("fail")
        NOT_APPLICABLE = "not_applicable", _("not applicable")
        NEEDS_EVIDENCE = "needs_evidence", _("needs manual evidence")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="items")
    item_id = models.CharField(max_length=40)
    position = models.PositiveIntegerField()
    automatic = models.CharField(max_length=16, choices=Result.choices)
    basis = models.JSONField(default=dict)  # findings / PI results that decided it
    result = models.CharField(max_length=16, choices=Result.choices)
    manual = models.BooleanField(default=False)  # set by a tester
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "item_id"], name="item_once")]


class EvidenceFile(models.Model):
    """A file a tester attached to an item (screenshot, recording, log). Stored under its
    SHA-256 in the data directory, never under the uploaded name."""

    public_id = PublicIdField()
    item = models.ForeignKey(ItemResult, on_delete=models.CASCADE, related_name="evidence")
    name = models.CharField(max_length=255)  # as uploaded; display only
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)


class EvaluationEvent(models.Model):
    """The evaluation's audit trail: started, item decided, submitted, returned, approved,
    certificate issued / suspended / revoked."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24)
    item_id = models.CharField(max_length=40, blank=True)
    details = models.JSONField(default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class ReportCounter(models.Model):
    """The last report number of an organisation (one row, locked while numbering)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    last = models.PositiveIntegerField(default=0)


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("valid")
        SUSPENDED = "suspended", _("suspended")
        REVOKED = "revoked", _("revoked")

    public_id = PublicIdField()
    serial = models.CharField(max_length=40, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.PROTECT, related_name="certificate"
    )
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="certificates")
    signed = models.BinaryField()  # the certificate file (JCS JSON, signed)
    key_id = models.CharField(max_length=16)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField()
    valid_until = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.VALID)
    status_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    suspended_by_scan = models.ForeignKey(
        Scan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at"]

    @property
    def expired(self) -> bool:
        """Past its validity period (the status stays what the issuer or a scan made it)."""
        from django.utils import timezone

        return timezone.now() > self.valid_until
