"""Channel monitoring: fingerprints of stored packages, sources that bring candidates in,
candidates and the verdicts of comparing them with the official apps of the registry."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mobsec.platform.accounts.models import Organisation
from mobsec.platform.core.ids import PublicIdField
from mobsec.platform.registry.models import App, Package, Version


class Fingerprint(models.Model):
    """The similarity engine's fingerprint of one stored package (JSON, versioned by the
    engine), computed once in a sandboxed job so that comparisons never re-read packages."""

    package = models.OneToOneField(Package, on_delete=models.CASCADE, related_name="fingerprint")
    format_version = models.CharField(max_length=40)
    document = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)


class Source(models.Model):
    """Where candidates come from without an upload: a watched folder (any package dropped
    in it) or a channel adapter (e.g. ``local-mirror``: packages with a store listing)."""

    class Kind(models.TextChoices):
        FOLDER = "folder", _("watched folder")
        ADAPTER = "adapter", _("channel adapter")

    public_id = PublicIdField()
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="monitoring_sources"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    adapter = models.CharField(max_length=64, blank=True)  # adapters.ADAPTERS key
    name = models.CharField(max_length=200)  # the channel's name: takedowns are addressed to it
    path = models.CharField(max_length=1000)  # inside settings.MOBSEC_MONITORING_ROOTS
    contact = models.CharField(max_length=300, blank=True)  # the channel's takedown contact
    active = models.BooleanField(default=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    # What the last poll could not take: [{"code", "file", "en", "zh"}], bounded.
    problems = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class SeenFile(models.Model):
    """A file a source already handed in, by its path in the source with size and mtime:
    the next poll skips it without reading it again."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="seen")
    key = models.CharField(max_length=1000)
    size = models.PositiveBigIntegerField()
    mtime_ns = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="one_seen_per_key")]


class Candidate(models.Model):
    """A package found in a channel (or uploaded) that may copy an official app."""

    class Origin(models.TextChoices):
        UPLOAD = "upload", _("upload")
        API = "api", _("API")
        FOLDER = "folder", _("watched folder")
        ADAPTER = "adapter", _("channel adapter")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    public_id = PublicIdField()
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="monitoring_candidates"
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="candidates"
    )
    origin = models.CharField(max_length=16, choices=Origin.choices)
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="candidacies")
    file_name = models.CharField(max_length=255, blank=True)  # display only
    channel = models.CharField(max_length=200, blank=True)  # where it was found
    # The store listing as the channel showed it (untrusted text, bounded; see listing.py).
    listing = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    job_id = models.CharField(max_length=64, blank=True)
    error = models.JSONField(null=True, blank=True)
    # What the fingerprint says the candidate is (display; untrusted text from the package).
    package_name = models.CharField(max_length=255, blank=True)
    label = models.CharField(max_length=255, blank=True)
    signer_sha256 = models.CharField(max_length=64, blank=True)
    verdict = models.CharField(max_length=16, blank=True, db_index=True)  # the strongest one
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A source brings the same bytes in once, however often it is polled.
            models.UniqueConstraint(
                fields=["source", "package"],
                condition=models.Q(source__isnull=False),
                name="one_candidate_per_source_package",
            )
        ]


class Verdict(models.Model):
    """The engine's verdict on a candidate against one official app (its compared version),
    with the confidence and the evidence table of every signal."""

    GENUINE = "genuine"
    REPACKAGED = "repackaged"
    COUNTERFEIT = "counterfeit"
    UNRELATED = "unrelated"
    # Strongest first: which verdict a candidate is listed under.
    ORDER = (REPACKAGED, COUNTERFEIT, GENUINE, UNRELATED)

    public_id = PublicIdField()
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="verdicts")
    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="monitoring_verdicts")
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(max_length=16, db_index=True)
    confidence = models.FloatField()
    comparison = models.JSONField()  # the engine's Comparison JSON (signals with evidence)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["candidate", "-confidence"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "app"], name="one_verdict_per_app")
        ]
