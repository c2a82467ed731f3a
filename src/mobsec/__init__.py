"""mobsec: static security and PI-compliance analysis of mobile app packages.

The engine is a library first: ``mobsec.scan(path, options) -> Report``.
"""

from mobsec.version import __version__

__all__ = ["ScanOptions", "__version__", "scan"]


def __getattr__(name: str):
    # Imported lazily so that `import mobsec` stays cheap for tools that only need the version.
    if name == "scan":
        from mobsec.scan import scan

        return scan
    if name == "ScanOptions":
        from mobsec.options import ScanOptions

        return ScanOptions
    raise AttributeError(name)
