"""The job row (the truth about a piece of background work) and its attempts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mobsec.platform.core.ids import PublicIdField


class Priority(models.IntegerChoices):
    """Dispatch order: lower first. Emergency re-scans can be put ahead of everything."""

    EMERGENCY = 0, _("emergency")
    INTERACTIVE = 1, _("interactive")
    NORMAL = 2, _("normal")
    BATCH = 3, _("batch")

    @classmethod
    def parse(cls, name: str | int) -> Priority:
        if isinstance(name, int):
            return cls(name)
        try:
            return cls[name.upper()]
        except KeyError:
            raise ValueError(f"unknown priority {name!r}") from None


class State(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


FINAL_STATES = (State.DONE, State.FAILED, State.CANCELLED)


class Job(models.Model):
    public_id = PublicIdField()
    kind = models.CharField(max_length=64)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,  # system work (none yet) belongs to no organisation
        blank=True,
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    progress = models.PositiveSmallIntegerField(default=0)  # 0-100
    phase = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    run_after = models.DateTimeField(null=True, blank=True)  # retry back-off
    lease_owner = models.CharField(max_length=200, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.JSONField(null=True, blank=True)
    # Uploads count against the organisation's quotas (uploads per day, stored bytes).
    is_upload = models.BooleanField(default=False)
    upload_bytes = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "priority", "organisation", "created_at"]),
            models.Index(fields=["state", "lease_expires_at"]),
            models.Index(fields=["organisation", "is_upload", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.public_id} ({self.state})"

    @property
    def priority_name(self) -> str:
        return Priority(self.priority).name.lower()

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES


class Outcome(models.TextChoices):
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")
    RETRY = "retry", _("will be retried")
    LOST = "lost", _("worker lost")
    STOPPED = "stopped", _("stopped (cancelled or lease lost)")
    RELEASED = "released", _("released at worker shutdown")


class JobAttempt(models.Model):
    """One claim of a job by one worker: what became of it, for diagnostics and audits."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="attempt_rows")
    number = models.PositiveSmallIntegerField()
    worker = models.CharField(max_length=200)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    error = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["job", "number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="one_row_per_attempt")
        ]
