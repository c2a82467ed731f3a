"""Which registered app a scanned package belongs to (Android: package name + signer)."""

from __future__ import annotations

from typing import Any


def package_name(doc: dict[str, Any]) -> str:
    return str((doc.get("app") or {}).get("package") or "")


def certificates(doc: dict[str, Any]) -> tuple[str, list[str]]:
    """The signer's SHA-256 and every certificate that counts as the same signer: the
    signers and the v3 proof-of-rotation lineage (older certificates the app rotated from)."""
    signing = doc.get("signing") or {}
    signers = [c["sha256"] for c in signing.get("signers") or [] if c.get("sha256")]
    lineage = [c["sha256"] for c in signing.get("lineage") or [] if c.get("sha256")]
    for scheme in (signing.get("schemes") or {}).values():
        for signer in (scheme or {}).get("signers") or []:
            lineage += [c["sha256"] for c in signer.get("lineage") or [] if c.get("sha256")]
    seen = list(dict.fromkeys(signers + lineage))
    return (signers[0] if signers else ""), seen


def same_signer(known: list[str], new: list[str]) -> bool:
    """A new build is by the same signer when it shares a certificate (its signer, or a
    certificate of its rotation lineage) with what the app was signed with before."""
    return bool(set(known) & set(new))
