"""Checks for keys and credentials shipped inside the app (code, resources, assets, native)."""
