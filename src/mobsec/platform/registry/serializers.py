from __future__ import annotations

from rest_framework import serializers

from .models import App, Version


class VersionSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id")
    sha256 = serializers.CharField(source="package.sha256")
    size = serializers.IntegerField(source="package.size")
    uploaded_by = serializers.CharField(source="uploaded_by.username", default=None)

    class Meta:
        model = Version
        fields = [
            "id",
            "version_name",
            "version_code",
            "file_name",
            "sha256",
            "size",
            "uploaded_by",
            "uploaded_at",
        ]


class AppSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="public_id")
    organisation = serializers.CharField(source="organisation.public_id")
    owner = serializers.CharField(source="owner.public_id", default=None)

    class Meta:
        model = App
        fields = [
            "id",
            "organisation",
            "owner",
            "platform",
            "package_name",
            "label",
            "signer_sha256",
            "certificates",
            "signer_conflict",
            "created_at",
            "updated_at",
        ]


class AppDetailSerializer(AppSerializer):
    versions = VersionSerializer(many=True)

    class Meta(AppSerializer.Meta):
        fields = [*AppSerializer.Meta.fields, "versions"]
