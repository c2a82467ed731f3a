"""The app registry: stored packages, apps (package name + signer) and their versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mobsec.platform.accounts.models import Organisation
from mobsec.platform.core.ids import PublicIdField


class Package(models.Model):
    """Uploaded bytes, stored once under their SHA-256 (see store.py), never under the
    uploaded file name. Shared by every organisation that uploads the same bytes."""

    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    format = models.CharField(max_length=16)  # sniffed: apk (zip), ...
    created_at = models.DateTimeField(auto_now_add=True)


class App(models.Model):
    """One app of one organisation: Android package name + signer. A certificate in the
    v3 rotation lineage of a later version is the same signer (``certificates`` keeps every
    certificate seen). Same name with an unrelated certificate is a separate, flagged app."""

    public_id = PublicIdField()
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="apps")
    platform = models.CharField(max_length=16, default="android")
    package_name = models.CharField(_("package name"), max_length=255)
    signer_sha256 = models.CharField(max_length=64, blank=True)  # the first signer seen
    certificates = models.JSONField(default=list)  # every signer/lineage sha256 seen
    label = models.CharField(max_length=255, blank=True)  # from the package: untrusted text
    # Same package name as another app of the organisation, different certificate.
    signer_conflict = models.BooleanField(default=False)
    # The vendor organisation that owns the app (its vendor members see it).
    owner = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_apps"
    )
    # The genuine-app registry (channel monitoring, docs/monitoring.md): the organisation
    # declares this app its official one; its certificates are then the registered ones.
    official = models.BooleanField(default=False, db_index=True)
    official_name_zh = models.CharField(max_length=255, blank=True)
    official_name_en = models.CharField(max_length=255, blank=True)
    official_pinyin = models.CharField(max_length=1000, blank=True)  # derived from the zh name
    official_channels = models.JSONField(default=list, blank=True)  # [{"name", "url"}]
    official_icon = models.JSONField(default=dict, blank=True)  # a scan's app.icon
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "package_name"]),
            models.Index(fields=["organisation", "-updated_at"]),
        ]

    def __str__(self) -> str:
        return self.package_name


class Version(models.Model):
    """One uploaded build of an app."""

    public_id = PublicIdField()
    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="versions")
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="versions")
    version_name = models.CharField(max_length=255, blank=True)
    version_code = models.BigIntegerField(null=True)
    file_name = models.CharField(max_length=255, blank=True)  # as uploaded; display only
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["app", "package"], name="one_version_per_package")
        ]
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.app.package_name} {self.version_name}"
