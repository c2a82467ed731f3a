from django.apps import AppConfig


class ScansConfig(AppConfig):
    """Uploads, scans, stored reports, findings, triage, version diff."""

    name = "mobsec.platform.scans"
    label = "scans"

    def ready(self) -> None:
        try:
            from mobsec.platform.jobs import api as jobs
        except ImportError:  # the job system is not installed: uploads stay queued
            return
        from .handlers import scan_handler

        jobs.register("scan", scan_handler)
