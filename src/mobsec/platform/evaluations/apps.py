from django.apps import AppConfig


def _suspend_certificates(sender, scan, **kwargs):
    from .actions import suspend_on_failing_scan

    suspend_on_failing_scan(scan)


class EvaluationsConfig(AppConfig):
    """Evaluation schemes, evaluations of app versions, test reports, certificates."""

    name = "mobsec.platform.evaluations"
    label = "evaluations"

    def ready(self) -> None:
        from mobsec.platform.scans.signals import scan_stored

        from . import roles  # noqa: F401  (registers the reviewer role)

        # A later scan of a certified version that fails an item suspends the certificate.
        scan_stored.connect(_suspend_certificates, dispatch_uid="evaluations.suspend")
