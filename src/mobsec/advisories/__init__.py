"""Vulnerability advisories as CSAF 2.0, OSV and CVE JSON 5 documents.

Engine-side and independent of the platform: the input is ``model.Advisory`` (plain
dataclasses), the output JSON-ready dicts. ``csaf.to_csaf`` (profile
``csaf_security_advisory``, CVSS v3.1), ``osv.to_osv`` (only for products in a package
ecosystem), ``cve.cna_container`` / ``cve.cve_record``; ``provider`` builds the CSAF
distribution files. Scores come from the ``cvss`` library (:mod:`mobsec.cvss_scores`).
"""

from mobsec.advisories.csaf import to_csaf
from mobsec.advisories.cve import Assignment, Cna, cna_container, cve_record
from mobsec.advisories.ids import advisory_id, csaf_filename
from mobsec.advisories.model import (
    Advisory,
    AdvisoryError,
    Credit,
    Product,
    Publisher,
    Reference,
    Revision,
    Text,
    check,
)
from mobsec.advisories.osv import NoEcosystem, to_osv
from mobsec.cvss_scores import Score, score_v31, score_v40

__all__ = [
    "Advisory",
    "AdvisoryError",
    "Assignment",
    "Cna",
    "Credit",
    "NoEcosystem",
    "Product",
    "Publisher",
    "Reference",
    "Revision",
    "Score",
    "Text",
    "advisory_id",
    "check",
    "cna_container",
    "csaf_filename",
    "cve_record",
    "score_v31",
    "score_v40",
    "to_csaf",
    "to_osv",
]
