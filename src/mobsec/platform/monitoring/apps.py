from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Channel monitoring: candidates from uploads, the API, watched folders and channel
    adapters, compared with the official apps of the registry; verdicts, alerts, takedown."""

    name = "mobsec.platform.monitoring"
    label = "monitoring"

    def ready(self) -> None:
        from . import handlers, signals

        handlers.register_jobs()
        signals.connect()
