"""Checks on the third-party libraries an app ships (its software composition)."""
