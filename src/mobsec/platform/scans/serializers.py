"""API representations. Ids are the opaque public ids; no row id ever leaves the server."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from mobsec.platform.scans.reports import EXTENSIONS

from .actions import tag_list
from .models import Finding, Scan, Triage, TriageEvent
from .status import live_status


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="the app package (APK)")
    organisation = serializers.CharField(
        required=False, help_text="organisation id; needed when you upload for several"
    )
    app_type = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="PI rules app type (id, number 1-39 or name)",
    )


class ScanSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id", read_only=True)
    url = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    phase = serializers.SerializerMethodField()
    attempts = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()
    organisation = serializers.CharField(source="organisation.public_id", read_only=True)
    sha256 = serializers.CharField(source="package.sha256", read_only=True)
    size = serializers.IntegerField(source="package.size", read_only=True)
    app = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()
    report_url = serializers.SerializerMethodField()
    downloads = serializers.SerializerMethodField()

    class Meta:
        model = Scan
        fields = [
            "id",
            "url",
            "status",
            "progress",
            "phase",
            "attempts",
            "error",
            "organisation",
            "file_name",
            "sha256",
            "size",
            "options",
            "engine_version",
            "reused",
            "app",
            "version",
            "report_url",
            "downloads",
            "created_at",
            "finished_at",
        ]

    def _live(self, obj):
        cache = self.context.setdefault("_live", {})
        if obj.pk not in cache:
            cache[obj.pk] = live_status(obj)
        return cache[obj.pk]

    def _abs(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, obj) -> str:
        return self._abs(reverse("api-scan-detail", args=[obj.public_id]))

    def get_status(self, obj) -> str:
        return self._live(obj)["state"]

    def get_progress(self, obj) -> float:
        return self._live(obj)["progress"]

    def get_phase(self, obj) -> str:
        return self._live(obj)["phase"]

    def get_attempts(self, obj) -> int:
        return self._live(obj)["attempts"]

    def get_error(self, obj) -> dict | None:
        return self._live(obj)["error"]

    def get_app(self, obj) -> str | None:
        return obj.version.app.public_id if obj.version_id else None

    def get_version(self, obj) -> str | None:
        return obj.version.public_id if obj.version_id else None

    def get_report_url(self, obj) -> str | None:
        if not obj.report_id:
            return None
        return self._abs(reverse("api-scan-report", args=[obj.public_id]))

    def get_downloads(self, obj) -> dict[str, str]:
        if not obj.report_id:
            return {}
        base = reverse("api-scan-report", args=[obj.public_id])
        return {fmt: self._abs(f"{base}?format={fmt}") for fmt in EXTENSIONS}


class FindingSerializer(serializers.ModelSerializer):
    app = serializers.CharField(source="app.public_id", read_only=True)
    package_name = serializers.CharField(source="app.package_name", read_only=True)
    version = serializers.CharField(source="version.public_id", read_only=True)
    organisation = serializers.CharField(source="organisation.public_id", read_only=True)
    location = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    cwe = serializers.SerializerMethodField()
    masvs = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = [
            "fingerprint",
            "check_id",
            "title",
            "severity",
            "confidence",
            "status",
            "location",
            "owner",
            "cwe",
            "masvs",
            "evidence",
            "app",
            "package_name",
            "version",
            "organisation",
            "created_at",
        ]

    def get_location(self, obj) -> dict:
        return {"file": obj.file, "class": obj.class_name or None, "method": obj.method or None}

    def get_owner(self, obj) -> dict:
        return {
            "kind": obj.owner_kind,
            "sdk_id": obj.sdk_id or None,
            "sdk_name": obj.sdk_name or None,
        }

    def get_cwe(self, obj) -> list[int]:
        return [int(c) for c in tag_list(obj.cwe) if c.isdigit()]

    def get_masvs(self, obj) -> list[str]:
        return tag_list(obj.masvs)

    def get_title(self, obj) -> dict:
        return {"en": obj.title_en, "zh-CN": obj.title_zh}


class TriageInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Triage.Status.choices)
    reason = serializers.CharField(max_length=4000)


class DisputeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class TriageSerializer(serializers.ModelSerializer):
    decided_by = serializers.CharField(source="decided_by.username", default=None)

    class Meta:
        model = Triage
        fields = [
            "fingerprint",
            "check_id",
            "status",
            "reason",
            "decided_by",
            "decided_at",
            "disputed",
            "dispute_reason",
        ]


class TriageEventSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id")
    actor = serializers.CharField(source="actor.username", default=None)

    class Meta:
        model = TriageEvent
        fields = ["id", "fingerprint", "kind", "old_status", "status", "reason", "actor", "at"]
