"""Evaluation and certification without Django: scheme files, deciding items from a Report,
signed certificates (RFC 8785 + Ed25519), and scoring security products on test sets."""
