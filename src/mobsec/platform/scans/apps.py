from django.apps import AppConfig


class ScansConfig(AppConfig):
    """Uploads, scans, stored reports, findings, triage, version diff."""

    name = "mobsec.platform.scans"
    label = "scans"
