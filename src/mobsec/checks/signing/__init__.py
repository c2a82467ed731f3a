"""Checks on the APK signature: who signed it, with what, and what Android verifies."""
