"""What the API shows of a case: everything to the people on it (the embargoed details
included: they passed ``actions.open_case``), never the follow-up digest."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from . import access, guards, machine, rating
from .models import Attachment, Transition, Vulnerability


class AttachmentSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id", read_only=True)
    scan = serializers.CharField(source="scan.public_id", default=None, read_only=True)

    class Meta:
        model = Attachment
        fields = ["id", "name", "kind", "sha256", "size", "sniffed", "scan", "created_at"]


class TransitionSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id", read_only=True)
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)

    class Meta:
        model = Transition
        fields = ["id", "action", "from_state", "to_state", "actor", "part", "reason",
                  "details", "at"]  # fmt: skip


class VulnerabilitySerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id", read_only=True)
    reporter = serializers.CharField(source="reporter.username", default=None, read_only=True)
    vendor = serializers.CharField(source="vendor.public_id", default=None, read_only=True)
    app = serializers.CharField(source="app.public_id", default=None, read_only=True)
    duplicate_of = serializers.CharField(source="duplicate_of.public_id", default=None,
                                         read_only=True)  # fmt: skip
    severity_label = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True)
    national_report_clock = serializers.SerializerMethodField()
    my_actions = serializers.SerializerMethodField()

    class Meta:
        model = Vulnerability
        fields = [
            "id", "state", "channel", "reporter", "credit_name", "package_name",
            "app_version", "platform", "app", "cwe", "check_id", "location", "title",
            "description", "reproduction", "impact", "suggested_severity", "duplicate_of",
            "verification_notes", "evidence_fingerprint", "cvss31_vector", "cvss31_score",
            "cvss40_vector", "cvss40_score", "severity", "severity_label", "factors",
            "vendor", "due_at", "disputed", "fix_version", "mitigation",
            "agreed_disclosure_at", "advisory_ref", "received_at", "triaged_at",
            "confirmed_at", "vendor_notified_at", "fixed_at", "disclosed_at", "closed_at",
            "national_report_at", "national_report_clock", "attachments", "my_actions",
        ]  # fmt: skip

    def get_severity_label(self, v: Vulnerability) -> dict[str, str]:
        return {"en": rating.label(v.severity, "en"), "zh-CN": rating.label(v.severity, "zh")}

    @extend_schema_field(OpenApiTypes.OBJECT)  # {started_at, due_at, produced_at}
    def get_national_report_clock(self, v: Vulnerability) -> dict[str, object]:
        c = guards.national_report_clock(v)
        return {"started_at": c.started_at, "due_at": c.due_at, "produced_at": c.produced_at}

    def get_my_actions(self, v: Vulnerability) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return machine.actions_from(v.state, access.parts(request.user, v))


class VulnerabilityListSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id", read_only=True)

    class Meta:
        model = Vulnerability
        fields = ["id", "state", "package_name", "title", "severity", "received_at", "due_at"]


class SubmissionSerializer(serializers.Serializer):
    """A report (multipart: attachments as ``file`` parts; or JSON without them)."""

    package_name = serializers.CharField(max_length=255)
    title = serializers.CharField(max_length=300)
    description = serializers.CharField()
    app_version = serializers.CharField(required=False, allow_blank=True)
    platform = serializers.CharField(required=False, default="android")
    cwe = serializers.CharField(required=False, allow_blank=True)
    check_id = serializers.CharField(required=False, allow_blank=True)
    location = serializers.CharField(required=False, allow_blank=True)
    reproduction = serializers.CharField(required=False, allow_blank=True)
    impact = serializers.CharField(required=False, allow_blank=True)
    suggested_severity = serializers.CharField(required=False, allow_blank=True)
    credit_name = serializers.CharField(required=False, allow_blank=True)
    organisation = serializers.CharField(required=False, allow_blank=True)
    file = serializers.ListField(child=serializers.FileField(), required=False)
