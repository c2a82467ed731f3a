"""Scans, stored reports, findings as rows, triage decisions and their audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mobsec.platform.accounts.models import Organisation
from mobsec.platform.core.ids import PublicIdField
from mobsec.platform.registry.models import App, Package, Version

SEVERITIES = ("critical", "high", "medium", "low", "info")


class Report(models.Model):
    """The engine's Report JSON for one package, engine version and options: a later upload
    of the same bytes with the same engine and options reuses it instead of rescanning."""

    public_id = PublicIdField()
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="reports")
    engine_version = models.CharField(max_length=40)
    options_key = models.CharField(max_length=64)  # sha256 of the canonical options JSON
    document = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["package", "engine_version", "options_key"], name="one_report_per_input"
            )
        ]


class Scan(models.Model):
    """One request to scan an upload; ``job_id`` links the job that runs it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    public_id = PublicIdField()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="scans")
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="scans")
    file_name = models.CharField(max_length=255, blank=True)  # as uploaded; display only
    options = models.JSONField(default=dict)
    options_key = models.CharField(max_length=64)
    engine_version = models.CharField(max_length=40)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    job_id = models.CharField(max_length=64, blank=True)  # the job's public id
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="scans"
    )
    version = models.ForeignKey(
        Version, null=True, blank=True, on_delete=models.SET_NULL, related_name="scans"
    )
    reused = models.BooleanField(default=False)  # answered from an earlier identical scan
    error = models.JSONField(null=True, blank=True)  # {code, en, zh, details}
    anonymous = models.BooleanField(default=False)  # public upload page
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "-created_at"])]


class Finding(models.Model):
    """One finding of one version, as a row so that questions across apps are queries.
    Organisation and app are repeated from the version to keep those queries one join away."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="findings")
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="findings")
    check_id = models.CharField(max_length=120)
    severity = models.CharField(max_length=8)
    confidence = models.CharField(max_length=8)
    fingerprint = models.CharField(max_length=32)
    title_en = models.CharField(max_length=300, blank=True)
    title_zh = models.CharField(max_length=300, blank=True)
    file = models.CharField(max_length=500, blank=True)
    class_name = models.CharField(max_length=500, blank=True)
    method = models.CharField(max_length=500, blank=True)
    evidence = models.TextField(blank=True)  # from the package: untrusted text
    owner_kind = models.CharField(max_length=24)  # app, sdk, unknown-third-party, ...
    sdk_id = models.CharField(max_length=64, blank=True)
    sdk_name = models.CharField(max_length=200, blank=True)
    # ",295,20," / ",MASVS-NETWORK-1,": a containment filter is one portable LIKE query.
    cwe = models.CharField(max_length=200, blank=True)
    masvs = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=16, default="open")  # copy of the app's triage
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "fingerprint"], name="finding_once")
        ]
        indexes = [
            models.Index(fields=["organisation", "check_id"]),
            models.Index(fields=["organisation", "severity"]),
            models.Index(fields=["organisation", "sdk_id"]),
            models.Index(fields=["check_id", "owner_kind"]),
            models.Index(fields=["app", "fingerprint"]),
            models.Index(fields=["organisation", "created_at"]),
        ]


class Triage(models.Model):
    """The current decision on a finding of an app, keyed by fingerprint so that it carries
    over to every later version that still has the finding."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CONFIRMED = "confirmed", _("confirmed")
        FALSE_POSITIVE = "false_positive", _("false positive")
        ACCEPTED_RISK = "accepted_risk", _("accepted risk")
        FIXED = "fixed", _("fixed")

    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="triage")
    fingerprint = models.CharField(max_length=32)
    check_id = models.CharField(max_length=120)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()
    disputed = models.BooleanField(default=False)
    dispute_reason = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["app", "fingerprint"], name="triage_once")]


class TriageEvent(models.Model):
    """The audit trail of triage: every status change and every vendor dispute."""

    class Kind(models.TextChoices):
        STATUS = "status", _("status change")
        DISPUTE = "dispute", _("dispute")

    public_id = PublicIdField()
    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="triage_events")
    fingerprint = models.CharField(max_length=32)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    old_status = models.CharField(max_length=16, blank=True)
    status = models.CharField(max_length=16, blank=True)
    reason = models.TextField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["app", "fingerprint"])]


class CiRun(models.Model):
    """A CI pipeline's scan: the verdict is computed against its baseline and threshold."""

    public_id = PublicIdField()
    scan = models.OneToOneField(Scan, on_delete=models.CASCADE, related_name="ci_run")
    baseline = models.JSONField(default=list)  # accepted fingerprints (mobsec baseline file)
    fail_on = models.CharField(max_length=8, default="high")
    created_at = models.DateTimeField(auto_now_add=True)


class FindingCount(models.Model):
    """Finding counts per organisation along one dimension (``severity``, ``check``,
    ``sdk`` or ``month``), kept in step by ``store_report``: the dashboard reads these few
    rows instead of aggregating millions of findings (bench/bench_platform.py)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=8)
    key = models.CharField(max_length=120)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "dimension", "key"], name="one_count_per_key"
            )
        ]
