from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """In-app notifications, e-mail, outgoing signed webhooks."""

    name = "mobsec.platform.notifications"
    label = "notifications"

    def ready(self) -> None:
        from . import delivery

        delivery.register_jobs()
