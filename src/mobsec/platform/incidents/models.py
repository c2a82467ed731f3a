"""Incidents: one emergency from its source to the bulletin (docs/incidents.md).

``Incident`` (from a vulnerability case or an external advisory), its append-only timeline
(``Event``), the affected-scope snapshots (``ScopeSnapshot``), the rule packs released for
it (``IncidentPack``), the fleet re-scans (``Rescan`` with one ``RescanItem`` per app
version, each a job of the job system), the vulnerability cases opened for the affected
apps (``IncidentCase``: the vendor notices, deadlines and fix progress live in the vulns
app) and the public bulletin (``Bulletin``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from mobsec.platform.core.ids import PublicIdField
from mobsec.platform.registry.models import App, Version
from mobsec.platform.vulns.models import AppendOnlyQuerySet, Vulnerability


class Incident(models.Model):
    class Source(models.TextChoices):
        VULNERABILITY = "vulnerability", _("vulnerability case")
        ADVISORY = "advisory", _("external advisory")

    public_id = PublicIdField()
    source = models.CharField(max_length=16, choices=Source.choices)
    vulnerability = models.ForeignKey(
        Vulnerability, null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    title_en = models.CharField(max_length=300)
    title_zh = models.CharField(max_length=300)
    description_en = models.TextField()
    description_zh = models.TextField()
    refs = models.JSONField(default=list, blank=True)  # http(s) URLs
    cve_ids = models.JSONField(default=list, blank=True)
    cnvd_ids = models.JSONField(default=list, blank=True)
    severity = models.CharField(max_length=8, default="high")
    cvss31 = models.CharField(max_length=200, blank=True)  # rates the cases opened for it
    cwe = models.CharField(max_length=16, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.public_id} {self.title_en}"

    def text(self, name: str, lang: str) -> str:
        return getattr(self, f"{name}_{'zh' if (lang or '').startswith('zh') else 'en'}")


class Event(models.Model):
    """One entry of the incident's timeline: who did what, when (never changed)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # None: the platform itself (a re-scan finished)
    action = models.CharField(max_length=40)
    details = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()  # the vulns trail's: bulk writes refused

    class Meta:
        ordering = ["at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("incident events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("incident events are append-only")


class ScopeSnapshot(models.Model):
    """An affected-scope query run for the incident and what it answered then."""

    public_id = PublicIdField()
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="snapshots")
    query = models.JSONField()  # kind, value, below, scope, include_unknown
    count = models.PositiveIntegerField()
    results = models.JSONField()  # [{app, version, package_name, organisation, evidence}]
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]


class IncidentPack(models.Model):
    """A signed rule pack released for the incident (the testing tool)."""

    public_id = PublicIdField()
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="packs")
    pack_id = models.CharField(max_length=100)
    version = models.CharField(max_length=64)
    publisher = models.CharField(max_length=200)
    key_id = models.CharField(max_length=16)  # the publisher key that signed it
    sha256 = models.CharField(max_length=64)  # of the uploaded archive
    size = models.PositiveIntegerField()
    rule_ids = models.JSONField(default=list)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")  # fmt: skip
    uploaded_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]


class Rescan(models.Model):
    """A fleet re-scan: the pack's rules over many app versions, one job each."""

    class Scope(models.TextChoices):
        ALL = "all", _("every registered app's latest version")
        AFFECTED = "affected", _("the affected apps of the last query")

    public_id = PublicIdField()
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="rescans")
    pack = models.ForeignKey(IncidentPack, on_delete=models.PROTECT, related_name="rescans")
    scope = models.CharField(max_length=10, choices=Scope.choices)
    total = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class RescanItem(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    rescan = models.ForeignKey(Rescan, on_delete=models.CASCADE, related_name="items")
    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="+")
    job_id = models.CharField(max_length=40, blank=True)  # the job's public id
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    mode = models.CharField(max_length=16, blank=True)  # stored-facts | full-scan
    seconds = models.FloatField(null=True, blank=True)
    findings = models.JSONField(default=list, blank=True)  # the rules' findings (Finding JSON)
    error = models.JSONField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["rescan", "version"], name="one_item_per_version")
        ]
        indexes = [models.Index(fields=["rescan", "state"])]


class IncidentCase(models.Model):
    """The vulnerability case opened for one affected app: its vendor notice, deadline and
    fix progress are the vulns app's (``vulnerability.state``, ``due_at``, ``fixed_at``)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="cases")
    vulnerability = models.OneToOneField(Vulnerability, on_delete=models.PROTECT,
                                         related_name="incident_case")  # fmt: skip
    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(RescanItem, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "app"], name="one_case_per_app")]


class Bulletin(models.Model):
    """The public bulletin of the incident (zh-CN and en), published once the guards allow."""

    public_id = PublicIdField()
    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="bulletin")
    title_en = models.CharField(max_length=300)
    title_zh = models.CharField(max_length=300)
    body_en = models.TextField()
    body_zh = models.TextField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")  # fmt: skip
    published_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-published_at"]

    def text(self, name: str, lang: str) -> str:
        return getattr(self, f"{name}_{'zh' if (lang or '').startswith('zh') else 'en'}")
