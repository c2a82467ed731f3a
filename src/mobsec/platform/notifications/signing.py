"""How webhook payloads are signed, and how a receiver checks them.

Headers on every delivery::

    X-Mobsec-Event: scan.done
    X-Mobsec-Delivery: <delivery id>
    X-Mobsec-Timestamp: 1767225600
    X-Mobsec-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
    X-Mobsec-Signature-Ed25519: <key id>:<base64 Ed25519 signature of "<timestamp>.<body>">

The HMAC proves the sender knows the webhook's secret; the Ed25519 signature (the
platform's ``webhooks`` key, public half from ``manage.py keys show webhooks``) lets anyone
verify without sharing a secret. Receivers should reject timestamps older than a few
minutes (replays).
"""

from __future__ import annotations

import hashlib
import hmac


def signed_bytes(timestamp: int, body: bytes) -> bytes:
    return str(timestamp).encode() + b"." + body


def hmac_signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), signed_bytes(timestamp, body), hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_hmac(secret: str, timestamp: int, body: bytes, header: str) -> bool:
    """What a receiver does (constant-time compare)."""
    return hmac.compare_digest(hmac_signature(secret, timestamp, body), header)
