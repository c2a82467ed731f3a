from django.apps import AppConfig


class KeysConfig(AppConfig):
    """Ed25519 signing keys kept in the data directory (see custody.py)."""

    name = "mobsec.platform.keys"
    label = "keys"
