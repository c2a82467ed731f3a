"""Settings of the vulnerability desk, each with a default (override in Django settings)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

# Vendor deadline per severity, in days (the alliance's defaults; DefectDojo's SLA shape).
DEFAULT_DEADLINE_DAYS = {"critical": 7, "high": 30, "medium": 90, "low": 120}


def deadline(severity: str) -> timedelta:
    days = getattr(settings, "MOBSEC_VULNS_DEADLINE_DAYS", DEFAULT_DEADLINE_DAYS)
    return timedelta(days=days.get(severity, DEFAULT_DEADLINE_DAYS["low"]))


def national_report_period() -> timedelta:
    """Article 7: report to the national platform within 2 (calendar) days of confirmation."""
    return timedelta(days=getattr(settings, "MOBSEC_VULNS_NATIONAL_REPORT_DAYS", 2))


def remind_before() -> timedelta:
    return timedelta(days=getattr(settings, "MOBSEC_VULNS_REMIND_DAYS_BEFORE", 3))


def sweep_seconds() -> float:
    return float(getattr(settings, "MOBSEC_VULNS_SWEEP_SECONDS", 600))


def max_attachment_bytes() -> int:
    return int(getattr(settings, "MOBSEC_VULNS_MAX_ATTACHMENT_BYTES", 50 << 20))


def max_attachments() -> int:
    return int(getattr(settings, "MOBSEC_VULNS_MAX_ATTACHMENTS", 10))


def desk_organisation_name() -> str:
    """The organisation that runs the desk: attached and fixed packages are scanned in it."""
    return getattr(settings, "MOBSEC_VULNS_DESK", "Vulnerability desk / 漏洞平台")


def intake_retention() -> timedelta:
    """Article 5: receipt logs kept at least 6 months (never purged by the platform)."""
    return timedelta(days=183)
