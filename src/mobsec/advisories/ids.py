"""Advisory ids (``PREFIX-YYYY-NNNN``, the prefix configurable) and CSAF file names."""

from __future__ import annotations

import re

PREFIX = re.compile(r"^[A-Z][A-Z0-9]{1,15}$")
_UNSAFE = re.compile(r"[^+\-a-z0-9]+")


def advisory_id(prefix: str, year: int, number: int) -> str:
    """``MOBSEC-2026-0001``; ValueError for a prefix that is not 2–16 capital letters/digits
    (starting with a letter), a year outside 1999–9999 or a number below 1."""
    if not PREFIX.match(prefix):
        raise ValueError(f"advisory id prefix {prefix!r}: 2-16 capital letters or digits")
    if not 1999 <= year <= 9999 or number < 1:
        raise ValueError(f"advisory id: bad year {year} or number {number}")
    return f"{prefix}-{year}-{number:04d}"


def parse_advisory_id(value: str, prefix: str) -> tuple[int, int] | None:
    """(year, number) of an id with this prefix, or None."""
    m = re.fullmatch(re.escape(prefix) + r"-([0-9]{4})-([0-9]{4,})", value)
    return (int(m[1]), int(m[2])) if m else None


def csaf_filename(tracking_id: str) -> str:
    """CSAF 2.0 section 5.1: the id lower-cased, runs of other characters as ``_``, ``.json``."""
    return _UNSAFE.sub("_", tracking_id.lower()) + ".json"
