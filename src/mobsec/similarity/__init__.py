"""Counterfeit and repackaged app detection: fingerprints, signals, verdicts, an index.

Public API (stable; docs/similarity.md describes it in zh-CN and en)::

    from mobsec.similarity import fingerprint, compare, RegistryIndex, render_takedown

    genuine = fingerprint("official.apk")            # AppFingerprint
    text = genuine.dumps()                           # JSON text (to_json() gives the dict)
    genuine = AppFingerprint.from_json(text)         # FingerprintError if not one / old
    candidate = fingerprint("suspect.apk")
    result = compare(candidate, genuine, registered_certs=["3f2a…"])   # Comparison
    result.verdict        # "genuine" | "repackaged" | "counterfeit" | "unrelated"
    result.confidence     # 0..1
    result.signals        # [Signal(id, score, matched, summary_en/zh, evidence)]
    result.injected       # {"classes": [...], "sdks": [...], "permissions": [...]}
    result.removed        # same keys
    result.to_json()      # everything above as JSON

    index = RegistryIndex()
    index.add("app-42", genuine)                     # keeps a small sketch, not the fingerprint
    hits = index.query(candidate, k=10)              # [IndexHit(key, score, reasons)]

    pdf = render_takedown(result, {"name": "Store X", "contact": "legal@…"}, "zh-CN", "pdf")

``fingerprint`` raises :class:`FingerprintError` (``.en``/``.zh`` name the file and the
problem) for a file that is no readable Android package; problems inside a package (a
malformed icon, a broken DEX) are kept in ``AppFingerprint.diagnostics``.
"""

from mobsec.similarity.fingerprinting import FingerprintOptions, fingerprint
from mobsec.similarity.index import IndexHit, RegistryIndex
from mobsec.similarity.model import FORMAT_VERSION, AppFingerprint, FingerprintError
from mobsec.similarity.signals import Signal
from mobsec.similarity.takedown import render_takedown
from mobsec.similarity.verdict import VERDICTS, Comparison, compare

__all__ = [
    "FORMAT_VERSION",
    "VERDICTS",
    "AppFingerprint",
    "Comparison",
    "FingerprintError",
    "FingerprintOptions",
    "IndexHit",
    "RegistryIndex",
    "Signal",
    "compare",
    "fingerprint",
    "render_takedown",
]
