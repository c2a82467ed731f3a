from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Organisations, users, per-membership roles, API tokens, audit log."""

    name = "mobsec.platform.accounts"
    label = "accounts"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - login/logout audit receivers
