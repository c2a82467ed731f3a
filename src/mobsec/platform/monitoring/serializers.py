from __future__ import annotations

from rest_framework import serializers

from mobsec.platform.registry.models import App

from .models import Candidate, Source, Verdict


class VerdictSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id")
    app = serializers.CharField(source="app.public_id")
    package_name = serializers.CharField(source="app.package_name")
    version = serializers.CharField(source="version.public_id")

    class Meta:
        model = Verdict
        fields = ["id", "app", "package_name", "version", "verdict", "confidence", "comparison"]


class CandidateSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id")
    organisation = serializers.CharField(source="organisation.public_id")
    source = serializers.CharField(source="source.public_id", default=None)
    sha256 = serializers.CharField(source="package.sha256")

    class Meta:
        model = Candidate
        fields = ["id", "organisation", "source", "origin", "sha256", "file_name", "channel",
                  "listing", "state", "job_id", "error", "package_name", "label",
                  "signer_sha256", "verdict", "created_at", "finished_at"]  # fmt: skip


class CandidateDetailSerializer(CandidateSerializer):
    verdicts = serializers.SerializerMethodField()

    class Meta(CandidateSerializer.Meta):
        fields = [*CandidateSerializer.Meta.fields, "verdicts"]

    def get_verdicts(self, c: Candidate) -> list[dict]:
        return VerdictSerializer(self.context["verdicts"], many=True).data


class CandidateUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    organisation = serializers.CharField(required=False, max_length=40)
    channel = serializers.CharField(required=False, allow_blank=True, max_length=200)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    developer = serializers.CharField(required=False, allow_blank=True, max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    url = serializers.CharField(required=False, allow_blank=True, max_length=500)
    downloads = serializers.IntegerField(required=False, min_value=0, max_value=10**15)


class OfficialAppSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id")
    organisation = serializers.CharField(source="organisation.public_id")
    icon_sha256 = serializers.CharField(source="official_icon.sha256", default=None)

    class Meta:
        model = App
        fields = ["id", "organisation", "package_name", "official", "official_name_zh",
                  "official_name_en", "official_pinyin", "official_channels", "certificates",
                  "icon_sha256", "updated_at"]  # fmt: skip


class OfficialInputSerializer(serializers.Serializer):
    official = serializers.BooleanField()
    name_zh = serializers.CharField(required=False, allow_blank=True, max_length=255)
    name_en = serializers.CharField(required=False, allow_blank=True, max_length=255)
    channels = serializers.ListField(child=serializers.DictField(), required=False, max_length=20)
    certificates = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=20
    )


class SourceSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id")
    organisation = serializers.CharField(source="organisation.public_id")

    class Meta:
        model = Source
        fields = ["id", "organisation", "kind", "adapter", "name", "path", "contact", "active",
                  "last_polled_at", "problems", "created_at"]  # fmt: skip


class SourceInputSerializer(serializers.Serializer):
    organisation = serializers.CharField(required=False, max_length=40)
    kind = serializers.ChoiceField(choices=Source.Kind.choices)
    adapter = serializers.CharField(required=False, allow_blank=True, max_length=64)
    name = serializers.CharField(max_length=200)
    path = serializers.CharField(max_length=1000)
    contact = serializers.CharField(required=False, allow_blank=True, max_length=300)


class PollSerializer(serializers.Serializer):
    job = serializers.CharField()
