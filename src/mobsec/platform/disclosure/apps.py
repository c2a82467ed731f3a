from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    """Advisories (CSAF/OSV/CVE, public pages, feed), rewards, support-unit ratings and the
    regulator's statistics (issue 9, points 6, 7, 8 and 10)."""

    name = "mobsec.platform.disclosure"
    label = "disclosure"
