"""CVSS v3.1 and v4.0 scores from the ``cvss`` library (never our own formulas).

Used by the advisory documents (:mod:`mobsec.advisories`) and by the scan's advisory table
(:mod:`mobsec.facts.inventory.advisories`); outside the advisories package so that a scan
does not import the CSAF/OSV/CVE writers with it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cvss import CVSS3, CVSS4, CVSSError


@dataclass(frozen=True)
class Score:
    version: str  # "3.1" or "4.0"
    vector: str  # the library's clean vector
    base_score: float
    severity: str  # NONE / LOW / MEDIUM / HIGH / CRITICAL
    fields: dict[str, Any]  # CVSS v3.1 JSON (FIRST schema names) or, for v4.0, the minimum


def _parse(cls: Any, version: str, vector: Any) -> Any:
    if not isinstance(vector, str) or not vector.startswith(f"CVSS:{version}/"):
        raise ValueError(f"not a CVSS v{version} vector: {vector!r}")
    try:
        return cls(vector)
    except CVSSError as e:
        raise ValueError(f"invalid CVSS v{version} vector {vector!r}: {e}") from None


def score_v31(vector: str) -> Score:
    """The v3.1 base score; ValueError for anything but a valid ``CVSS:3.1/`` vector."""
    c = _parse(CVSS3, "3.1", vector)
    # minimal=True: only the metrics in the vector, so the JSON agrees with the vector string
    # (CSAF mandatory test 6.1.10) and the FIRST cvss-v3.1 schema.
    fields = c.as_json(minimal=True)
    return Score("3.1", c.clean_vector(), float(c.base_score), fields["baseSeverity"], fields)


def score_v40(vector: str) -> Score:
    """The v4.0 score (CVSS-B/BT/BE/BTE as the vector allows); ValueError when invalid."""
    c = _parse(CVSS4, "4.0", vector)
    severity = str(c.severity).upper()
    fields = {
        "version": "4.0",
        "vectorString": c.clean_vector(),
        "baseScore": float(c.base_score),
        "baseSeverity": severity,
    }
    return Score("4.0", c.clean_vector(), float(c.base_score), severity, fields)
