"""The stored inventory of app versions, shaped for "which apps are affected?" queries.

``VersionInventory`` keeps the report's inventory section of one version and its search
``terms`` ("api:android.webkit.WebView.addJavascriptInterface", "host:example.com",
"native:libssl.so", "sha256:…"), a JSON list that PostgreSQL indexes with GIN
(jsonb_path_ops, migration 0002) so a containment query does not read every row.
``LibraryRow`` holds one library or SDK with its version as a sortable key, so "SDK X
below version V" is an index range. ``latest`` (denormalised on both) marks each app's
newest version: latest-only queries filter on it instead of working out the newest.
"""

from __future__ import annotations

from django.db import models

from mobsec.platform.accounts.models import Organisation
from mobsec.platform.registry.models import App, Version


class VersionInventory(models.Model):
    version = models.OneToOneField(Version, on_delete=models.CASCADE, related_name="inventory")
    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    latest = models.BooleanField(default=True)
    engine_version = models.CharField(max_length=40, blank=True)
    document = models.JSONField()  # the report's inventory section (untrusted text inside)
    terms = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["app", "latest"])]


class LibraryRow(models.Model):
    inventory = models.ForeignKey(
        VersionInventory, on_delete=models.CASCADE, related_name="libraries"
    )
    latest = models.BooleanField(default=True)
    key = models.CharField(max_length=255)  # catalogued SDK id, or Maven group:artifact
    version = models.CharField(max_length=64, blank=True)  # "" when the package says none
    version_sort = models.CharField(
        max_length=255, blank=True
    )  # mobsec.platform.inventory.versions
    source = models.CharField(max_length=255, blank=True)  # the file the version is read from

    class Meta:
        indexes = [
            models.Index(fields=["key", "version_sort"]),
            models.Index(fields=["key", "latest", "version_sort"]),
        ]
