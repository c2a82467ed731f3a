"""Key custody: the platform's Ed25519 signing keys (webhooks, rule packs, certificates).

Generated at first use (``mobsec serve`` creates the standard ones at start) into
``<data>/keys`` with owner-only permissions; loaded by name; rotated with
``python -m mobsec.platform.manage keys rotate NAME`` (docs/deploy.md). No Django models:
the key files are the store, so backups and restores move them with the data directory.
"""
