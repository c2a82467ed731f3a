from django.apps import AppConfig


class JobsConfig(AppConfig):
    """The job queue: rows, dispatch, leases, reaper, sandboxed scans, local/Celery workers."""

    name = "mobsec.platform.jobs"
    label = "jobs"

    def ready(self) -> None:
        from . import conf, periodic, reaper, sqlite

        sqlite.connect_signal()
        periodic.register("jobs.reap", conf.reap_seconds, reaper.reap)
        periodic.register("jobs.kick", reaper.KICK_EVERY_S, reaper.kick)
