from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """Apps (package name + signer), versions, the content-addressed package store."""

    name = "mobsec.platform.registry"
    label = "registry"
