"""RFC 3339 timestamps in UTC with ``Z``: the form every one of the three schemas accepts."""

from __future__ import annotations

from datetime import UTC, datetime


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
