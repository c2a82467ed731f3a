"""Advisories (one per disclosed vulnerability, with its revision history), report quality
for rewards, and the year's best cases (docs/disclosure.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mobsec.platform.vulns.models import Vulnerability


class Advisory(models.Model):
    """The public text of a vulnerability in both languages; the formats are made from it.

    Drafted from the case, reviewed, then published through ``vulns.actions.disclose`` (the
    guarded transition). The id (``PREFIX-YYYY-NNNN``) is given at publication."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        REVIEWED = "reviewed", _("reviewed")
        PUBLISHED = "published", _("published")

    vulnerability = models.OneToOneField(Vulnerability, on_delete=models.PROTECT,
                                         related_name="advisory")  # fmt: skip
    advisory_id = models.CharField(max_length=40, null=True, blank=True, unique=True)
    year = models.PositiveIntegerField(null=True, blank=True)
    number = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    title_en = models.CharField(max_length=256)
    title_zh = models.CharField(max_length=256)
    description_en = models.TextField()
    description_zh = models.TextField()
    impact_en = models.TextField(blank=True)
    impact_zh = models.TextField(blank=True)
    solution_en = models.TextField(blank=True)
    solution_zh = models.TextField(blank=True)
    mitigation_en = models.TextField(blank=True)
    mitigation_zh = models.TextField(blank=True)
    vendor_name = models.CharField(max_length=200)
    product_name = models.CharField(max_length=200)
    package = models.CharField(max_length=255, blank=True)
    platform = models.CharField(max_length=16, blank=True)
    ecosystem = models.CharField(max_length=20, blank=True)  # OSV ecosystem for SDKs
    introduced = models.CharField(max_length=64, blank=True)
    fixed_version = models.CharField(max_length=64, blank=True)
    affected_versions = models.CharField(max_length=500, blank=True)  # comma-separated
    cwe = models.CharField(max_length=16, blank=True)
    cvss31 = models.CharField(max_length=200, blank=True)
    cvss40 = models.CharField(max_length=300, blank=True)
    credit_name = models.CharField(max_length=120, blank=True)  # the reporter's opt-in name
    cve_id = models.CharField(max_length=24, blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="advisory_number_per_year")
        ]

    def __str__(self) -> str:
        return self.advisory_id or f"draft for {self.vulnerability.public_id}"

    def text(self, name: str, lang: str) -> str:
        zh = (lang or "").lower().startswith("zh")
        return getattr(self, f"{name}_{'zh' if zh else 'en'}")


class AdvisoryRevision(models.Model):
    """The revision history published with the advisory (CSAF tracking, CVE timeline)."""

    advisory = models.ForeignKey(Advisory, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    at = models.DateTimeField()
    summary = models.CharField(max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                           related_name="+")  # fmt: skip

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["advisory", "number"], name="revision_number_once")
        ]


class ReportQuality(models.Model):
    """The coordinator's judgement of a report's quality (the rewards table's second axis)."""

    vulnerability = models.OneToOneField(Vulnerability, on_delete=models.CASCADE,
                                         related_name="report_quality")  # fmt: skip
    quality = models.CharField(max_length=10)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+")  # fmt: skip
    at = models.DateTimeField()


class FeaturedCase(models.Model):
    """One of the year's ten best cases, chosen by an administrator and published."""

    year = models.PositiveIntegerField()
    rank = models.PositiveSmallIntegerField()
    advisory = models.ForeignKey(Advisory, on_delete=models.PROTECT, related_name="+")
    note_en = models.TextField(blank=True)
    note_zh = models.TextField(blank=True)
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                  related_name="+")  # fmt: skip
    at = models.DateTimeField()

    class Meta:
        ordering = ["year", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["year", "rank"], name="featured_rank_once"),
            models.UniqueConstraint(fields=["year", "advisory"], name="featured_once"),
        ]
