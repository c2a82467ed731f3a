from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    """Emergency incidents: source, affected scope, rule pack, fleet re-scan, vendor
    notices, the regulator's report and the public bulletin (docs/incidents.md)."""

    name = "mobsec.platform.incidents"
    label = "incidents"

    def ready(self) -> None:
        from . import roles  # noqa: F401 - registers the incident coordinator role

        try:
            from mobsec.platform.jobs import api as jobs
        except ImportError:
            return
        from . import fleet

        jobs.register(fleet.JOB_KIND, fleet.handler, on_success=fleet.done,
                      on_failure=fleet.failed, max_attempts=3)  # fmt: skip
