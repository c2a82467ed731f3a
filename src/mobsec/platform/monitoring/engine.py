"""The one place the platform talks to the similarity engine (``mobsec.similarity``):
fingerprints as JSON in and out, comparisons, the registry index, takedown reports.
The platform never computes a similarity itself."""

from __future__ import annotations

from typing import Any


def available() -> bool:
    try:
        import mobsec.similarity  # noqa: F401
    except ImportError:
        return False
    return True


def fingerprint_json(path: str) -> dict[str, Any]:
    """Run in the sandbox child (fingerprint_child.py): the package's fingerprint as JSON."""
    from mobsec import similarity

    return similarity.fingerprint(path).to_json()


def load(doc: dict[str, Any]):
    from mobsec import similarity

    return similarity.AppFingerprint.from_json(doc)


def summary(doc: dict[str, Any]) -> dict[str, str]:
    """What the platform shows of a fingerprint: package name, label, signer."""
    fp = load(doc)
    return {
        "package_name": fp.package_name[:255],
        "label": fp.label[:255],
        "signer_sha256": (fp.certificates[0] if fp.certificates else "")[:64],
    }


def format_version(doc: dict[str, Any]) -> str:
    return str(doc.get("version") or "")[:40]


def compare(candidate: dict[str, Any], genuine: dict[str, Any], certs: list[str]):
    from mobsec import similarity

    return similarity.compare(load(candidate), load(genuine), registered_certs=certs)


def new_index():
    from mobsec import similarity

    return similarity.RegistryIndex()


def render_takedown(comparison, channel: dict[str, str], lang: str, fmt: str, owner: str) -> bytes:
    """HTML (UTF-8) or PDF bytes; the engine's RenderError when it cannot be made."""
    from mobsec import similarity

    return similarity.render_takedown(comparison, channel, lang, fmt, owner=owner)
