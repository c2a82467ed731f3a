from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    """Emergency incidents: source, affected scope, rule pack, fleet re-scan, vendor
    notices, the regulator's report and the public bulletin (docs/incidents.md)."""

    name = "mobsec.platform.incidents"
    label = "incidents"

    def ready(self) -> None:
        from mobsec.platform.disclosure import feed

        from . import bulletins, roles  # noqa: F401 - roles registers the incident coordinator

        feed.register(bulletins.feed_entries)  # public bulletins in the advisories' Atom feed

        try:
            from mobsec.platform.jobs import api as jobs
        except ImportError:
            return
        from . import fleet

        jobs.register(fleet.JOB_KIND, fleet.handler, on_success=fleet.done,
                      on_failure=fleet.failed, max_attempts=3)  # fmt: skip
