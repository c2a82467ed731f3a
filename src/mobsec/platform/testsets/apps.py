from django.apps import AppConfig


class TestsetsConfig(AppConfig):
    """Labelled test sets, security products with their mapping tables, scored results."""

    name = "mobsec.platform.testsets"
    label = "testsets"
