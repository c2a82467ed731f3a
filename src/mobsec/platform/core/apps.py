from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared web pieces: base templates, vendored static files, CSP, health, opaque ids."""

    name = "mobsec.platform.core"
    label = "core"
