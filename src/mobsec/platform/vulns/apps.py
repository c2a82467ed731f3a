from django.apps import AppConfig


class VulnsConfig(AppConfig):
    """Vulnerability life cycle: intake, triage, verification, vendor disposal, guards."""

    name = "mobsec.platform.vulns"
    label = "vulns"

    def ready(self) -> None:
        from . import roles  # noqa: F401 - registers the desk's roles

        try:
            from mobsec.platform.jobs import api as jobs
            from mobsec.platform.jobs import periodic
        except ImportError:
            return
        from . import deadlines, fixes

        jobs.register(fixes.RESCAN_JOB, fixes.rescan_handler, on_success=fixes.rescan_done,
                      on_failure=fixes.rescan_failed)  # fmt: skip
        periodic.register("vulns.deadlines", deadlines.every_seconds, deadlines.sweep)
